package org.pdm.eval.fid;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.schema.SampleSchema;
import org.pdm.eval.sample.BatchSampler;
import org.pdm.eval.sample.ModelSource;
import org.pdm.eval.sample.Pixels;
import org.pdm.eval.sample.SamplerSpec;
import org.pdm.model.executor.DevicePolicy;
import org.pdm.model.executor.TaskDevices;

/**
 * One Spark task of an FID whose fake side comes from a flow checkpoint: its batch numbers become
 * samples exactly as {@code pdm sample}'s tasks draw them ({@link BatchSampler}: same index ranges,
 * noise, sampler and decoding), and each decoded picture goes straight to {@link FeatureBatches}
 * without being encoded or written; with {@code keep} its PNG rides along in the row. Rows are
 * {@link GeneratedFeatures#ROWS}, produced lazily, batch by batch. Nanoseconds spent sampling,
 * decoding, extracting features and encoding PNGs are added to accumulators (the time split).
 */
final class SampleFeaturesTask implements FlatMapFunction<Iterator<Long>, Row> {
  /** The accumulators of the time split and of progress. */
  record Meters(LongAccumulator done, LongAccumulator sampleNanos, LongAccumulator decodeNanos,
      LongAccumulator featureNanos, LongAccumulator pngNanos) implements java.io.Serializable {}

  private final ModelSource flow;
  private final ModelSource autoencoder;
  private final SamplerSpec sampler;
  private final long seed;
  private final long count;
  private final int batchSize;
  private final double[] divisors;
  private final DetectorSource detector;
  private final ResizeMode mode;
  private final int inputSize;
  private final int featureBatch;
  private final boolean keep;
  private final Meters meters;

  SampleFeaturesTask(ModelSource flow, ModelSource autoencoder, SamplerSpec sampler, long seed, long count,
      int batchSize, double[] divisors, DetectorSource detector, ResizeMode mode, int inputSize, int featureBatch,
      boolean keep, Meters meters) {
    this.flow = flow;
    this.autoencoder = autoencoder;
    this.sampler = sampler;
    this.seed = seed;
    this.count = count;
    this.batchSize = batchSize;
    this.divisors = divisors;
    this.detector = detector;
    this.mode = mode;
    this.inputSize = inputSize;
    this.featureBatch = featureBatch;
    this.keep = keep;
    this.meters = meters;
  }

  /** What a feature row does not carry: the sample's index, its batch's NFE and (kept) PNG. */
  private record Pending(long index, int nfe, byte[] png) {}

  @Override
  public Iterator<Row> call(Iterator<Long> batches) {
    DevicePolicy.Choice device = TaskDevices.current();
    FeatureBatches features = new FeatureBatches(detector, mode, inputSize, featureBatch, device.device());
    Deque<Pending> pending = new ArrayDeque<>(); // in the order FeatureBatches returns rows
    List<BatchSampler> drawer = new ArrayList<>(1); // models loaded with the first batch
    return new Iterator<>() {
      private Iterator<Row> current = Collections.emptyIterator();
      private boolean flushed;

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && (batches.hasNext() || !flushed)) {
          List<Row> out = new ArrayList<>();
          try {
            if (batches.hasNext()) {
              draw(batches.next(), out);
            } else {
              long t0 = System.nanoTime();
              meters.done().add(features.flush(out));
              meters.featureNanos().add(System.nanoTime() - t0);
              flushed = true;
            }
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
          }
          List<Row> rows = new ArrayList<>(out.size());
          for (Row f : out) {
            Pending p = pending.removeFirst();
            rows.add(RowFactory.create(f.get(0), f.get(1), f.get(2), f.get(3), p.index(), p.nfe(), p.png()));
          }
          current = rows.iterator();
        }
        return current.hasNext();
      }

      private void draw(long b, List<Row> out) throws Exception {
        BatchSampler.Range r = BatchSampler.Range.of(b, batchSize, count);
        if (drawer.isEmpty()) {
          drawer.add(BatchSampler.load(flow, autoencoder, sampler, seed, divisors, device.device()));
        }
        BatchSampler.Drawn d = drawer.get(0).draw(r.first(), r.size());
        meters.sampleNanos().add(d.sampleNanos());
        meters.decodeNanos().add(d.decodeNanos());
        for (int i = 0; i < r.size(); i++) {
          long index = r.first() + i;
          pending.addLast(new Pending(index, d.nfe(), keep ? png(d.rgb()[i], d.width(), d.height()) : null));
          long t0 = System.nanoTime();
          meters.done().add(features.add(new FeatureBatches.Picture(SampleSchema.id(index), d.rgb()[i], d.width(),
              d.height()), out));
          meters.featureNanos().add(System.nanoTime() - t0);
        }
      }

      private byte[] png(byte[] rgb, int width, int height) {
        long t0 = System.nanoTime();
        try {
          return Pixels.png(rgb, width, height);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } finally {
          meters.pngNanos().add(System.nanoTime() - t0);
        }
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
