/**
 * {@code pdm encode}: the preprocessed dataset encoded by a pyramid autoencoder into a latent cache
 * (Parquet, {@link org.pdm.core.schema.LatentSchema}) on Spark executors, one model per executor JVM
 * and device ({@link org.pdm.model.executor.ModelRegistry}). {@link org.pdm.latentcache.EncodeCommand}
 * (flags), {@link org.pdm.latentcache.EncodeConfig} (settings), {@link org.pdm.latentcache.EncodeJob}
 * (Spark wiring); the role classes ({@link org.pdm.latentcache.BatchEncoder}, {@link
 * org.pdm.latentcache.LatentStats}, {@link org.pdm.latentcache.LatentFiles}) know nothing of Spark.
 */
package org.pdm.latentcache;
