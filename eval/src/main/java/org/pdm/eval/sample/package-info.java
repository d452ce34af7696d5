/**
 * {@code pdm sample}: images drawn from a flow checkpoint and an autoencoder across Spark executors.
 * Sample i's noise depends on (seed, i) alone and batches are fixed index ranges, so the images do
 * not depend on partitioning. Role classes ({@link org.pdm.eval.sample.BatchSampler},
 * {@link org.pdm.eval.sample.SampleNoise}, {@link org.pdm.eval.sample.Pixels}) know nothing of Spark;
 * {@link org.pdm.eval.sample.SampleJob} wires them. {@link org.pdm.eval.sample.ModelSource} and
 * {@link org.pdm.eval.sample.CheckpointInput} serve the recon package too.
 */
package org.pdm.eval.sample;
