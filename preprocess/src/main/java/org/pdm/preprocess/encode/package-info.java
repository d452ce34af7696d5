/** Output encoders (PNG, JPEG); no Spark. */
package org.pdm.preprocess.encode;
