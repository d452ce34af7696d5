/** The model benchmark behind {@code pdm bench model}. */
package org.pdm.model.bench;
