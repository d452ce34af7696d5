/**
 * {@code pdm train autoencoder} and {@code pdm train flow}: a Spark driver program that streams the
 * dataset or the latent cache from Parquet and trains with {@code model}'s Trainer and Checkpoint.
 */
package org.pdm.train;
