/** The presets' size rules, the centred crop and antialiased resampling; no Spark, no ImageIO. */
package org.pdm.preprocess.geometry;
