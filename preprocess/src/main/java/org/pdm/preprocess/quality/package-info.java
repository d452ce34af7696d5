/** Quality measures (sharpness, perceptual hash, greyscale, near-constant, borders); no Spark. */
package org.pdm.preprocess.quality;
