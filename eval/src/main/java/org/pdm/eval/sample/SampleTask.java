package org.pdm.eval.sample;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.schema.SampleSchema;
import org.pdm.model.executor.DevicePolicy;
import org.pdm.model.executor.TaskDevices;

/**
 * One Spark task of {@code pdm sample}: its batch numbers b become the indices
 * {@code [b * batchSize, min((b + 1) * batchSize, count))}, so a batch holds the same samples however
 * the batches are spread over partitions, and each sample's bytes depend on (seed, index, batch size,
 * sampler, checkpoints) only. Rows are {@link SampleSchema#SAMPLES}, produced lazily, batch by batch.
 */
final class SampleTask implements FlatMapFunction<Iterator<Long>, Row> {
  private final ModelSource flow;
  private final ModelSource autoencoder;
  private final SamplerSpec sampler;
  private final long seed;
  private final long count;
  private final int batchSize;
  private final int width;
  private final int height;
  private final double[] divisors;
  private final LongAccumulator done;

  SampleTask(ModelSource flow, ModelSource autoencoder, SamplerSpec sampler, long seed, long count, int batchSize,
      int width, int height, double[] divisors, LongAccumulator done) {
    this.divisors = divisors;
    this.flow = flow;
    this.autoencoder = autoencoder;
    this.sampler = sampler;
    this.seed = seed;
    this.count = count;
    this.batchSize = batchSize;
    this.width = width;
    this.height = height;
    this.done = done;
  }

  @Override
  public Iterator<Row> call(Iterator<Long> batches) throws Exception {
    DevicePolicy.Choice device = TaskDevices.current();
    List<BatchSampler> sampler = new ArrayList<>(1);
    String label = this.sampler.label();
    return new Iterator<>() {
      private Iterator<BatchSampler.Sample> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && batches.hasNext()) {
          BatchSampler.Range r = BatchSampler.Range.of(batches.next(), batchSize, count);
          if (sampler.isEmpty()) { // models loaded with the first batch
            sampler.add(BatchSampler.load(flow, autoencoder, SampleTask.this.sampler, seed, divisors,
                device.device()));
          }
          current = sampler.get(0).run(r.first(), r.size()).iterator();
          done.add(r.size());
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        BatchSampler.Sample s = current.next();
        return RowFactory.create(SampleSchema.id(s.index()), s.png(), DatasetSchema.PNG, width, height, s.index(),
            seed, label, s.nfe());
      }
    };
  }
}
