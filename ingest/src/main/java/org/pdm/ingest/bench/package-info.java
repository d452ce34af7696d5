/** {@code pdm bench ingest}: the ingest job against a sequential download loop on a local server. */
package org.pdm.ingest.bench;
