/**
 * {@code pdm preprocess}: from raw photos to clean training sets. {@link org.pdm.preprocess.PreprocessCommand}
 * (CLI), {@link org.pdm.preprocess.PreprocessConfig} (typed settings), {@link org.pdm.preprocess.PreprocessJob}
 * (Spark wiring) and the role classes that know nothing of Spark: {@link org.pdm.preprocess.ImageProcessor}
 * and the {@code decode}, {@code geometry}, {@code quality} and {@code encode} packages.
 */
package org.pdm.preprocess;
