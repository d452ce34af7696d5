/**
 * The training data path: {@link org.pdm.train.data.TrainData} opens preprocess's dataset or encode's
 * latent cache as an endless, seeded, resumable {@link org.pdm.train.data.BatchStream} read with
 * parquet-hadoop (no Spark session) and decoded ahead of the device, and the validation split as one
 * pass of {@link org.pdm.train.data.ValidationBatches}; {@link org.pdm.train.data.TrainDataBench} measures it.
 */
package org.pdm.train.data;
