package org.pdm.latentcache;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.LatentSchema;
import org.pdm.model.executor.DevicePolicy;
import org.pdm.model.executor.ModelRegistry;
import org.pdm.model.executor.TaskDevices;

/**
 * One Spark task of {@code pdm encode}: reads its dataset rows ({@code id, image, format, width,
 * height}) in batches, decodes the next batch on a CPU thread while the device encodes the current
 * one and the task writes the one before, and writes one latent file and one rejects file into the staging folder, named by partition
 * and task attempt id (unique in the application, unlike the attempt number, which restarts when a
 * lost executor's stage is resubmitted), so that a retried task never collides with a failed one. Returns what it wrote; the
 * driver commits only the files of successful attempts.
 */
final class PartitionEncoder implements FlatMapFunction<Iterator<Row>, PartitionEncoder.Result> {
  /** Reject reasons (the {@code reason} column of rejects/). */
  static final String UNDECODABLE = "undecodable";
  static final String WRONG_SIZE = "wrong-size";
  static final String ENCODE_FAILED = "encode-failed";

  /**
   * What one task wrote: file names (null for none), counts, statistics, the device it used, and where
   * its time went: running the encoder, waiting for the executor's shared encoder, waiting for decoded input.
   */
  record Result(int partition, String latentFile, String rejectFile, long encoded, Map<String, Long> rejects,
      LatentStats stats, String device, long retries, long encoderNanos, long encoderWaitNanos, long inputWaitNanos)
      implements Serializable {}

  private final EncoderSource source;
  private final LatentSchema.Layout layout;
  private final int batchSize;
  private final String staging;
  private final String run;
  private final LongAccumulator done;

  PartitionEncoder(EncoderSource source, LatentSchema.Layout layout, int batchSize, String staging, String run,
      LongAccumulator done) {
    this.source = source;
    this.layout = layout;
    this.batchSize = batchSize;
    this.staging = staging;
    this.run = run;
    this.done = done;
  }

  /** A decoded batch: images in [-1, 1] CHW with their ids, and the rows that could not be used. */
  private record Decoded(List<String> ids, List<float[]> images, List<String[]> rejects) {}

  @Override
  public Iterator<Result> call(Iterator<Row> rows) throws Exception {
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    String suffix = String.format("part-%s-%05d-%d.parquet", run, partition, task == null ? 0 : task.taskAttemptId());
    DevicePolicy.Choice device = TaskDevices.current();
    int imageSize = 3 * layout.imageHeight() * layout.imageWidth();
    List<ModelRegistry.Entry<EncoderSource.Handle>> model = new ArrayList<>(1); // loaded on the first batch
    long[] nanos = new long[3]; // encoder, waiting for the encoder, waiting for input
    BatchEncoder batches = new BatchEncoder((x, n) -> {
      long asked = System.nanoTime();
      return model.get(0).use(h -> {
        long start = System.nanoTime();
        nanos[1] += start - asked;
        try {
          return h.model().encodeHost(x, n, layout.logvar());
        } finally {
          nanos[0] += System.nanoTime() - start;
        }
      });
    }, imageSize);
    LatentStats stats = new LatentStats(layout.levels());
    Map<String, Long> rejected = new TreeMap<>();
    var conf = source.hadoop().value();
    Path dir = new Path(staging);
    ExecutorService decoder = thread("pdm-encode-decode-" + partition);
    ExecutorService encoder = thread("pdm-encode-batches-" + partition);
    try (LatentFiles latents = LatentFiles.latents(conf, new Path(dir, "latents"), suffix, layout);
        LatentFiles rejects = LatentFiles.rejects(conf, new Path(dir, "rejects"), suffix)) {
      // Three batches in flight: batch k+2 decodes while k+1 is on the device and k is written, so
      // one task keeps the device busy as long as decoding and writing are faster than encoding.
      Future<Decoded> next = submit(decoder, rows);
      Future<Encoded> inFlight = null;
      while (next != null || inFlight != null) {
        Future<Encoded> encoding = null;
        if (next != null) {
          long waitFrom = System.nanoTime();
          Decoded batch = await(next);
          nanos[2] += System.nanoTime() - waitFrom;
          next = submit(decoder, rows);
          for (String[] r : batch.rejects()) {
            rejects.write(r[0], r[1], r[2]);
            rejected.merge(r[1], 1L, Long::sum);
          }
          if (model.isEmpty() && !batch.images().isEmpty()) {
            model.add(source.get(device.device())); // a load failure fails the task: no row is to blame
          }
          encoding = encoder.submit(() -> new Encoded(batch, batches.encode(batch.images())));
        }
        if (inFlight != null) {
          write(await(inFlight), latents, rejects, rejected, stats);
        }
        inFlight = encoding;
      }
      return List.of(new Result(partition, latents.finish(), rejects.finish(), latents.count(), rejected, stats,
          device.device().toString(), batches.retries(), nanos[0], nanos[1], nanos[2])).iterator();
    } finally {
      decoder.shutdownNow();
      encoder.shutdownNow();
    }
  }

  /** A batch and its encoder results, in the batch's order. */
  private record Encoded(Decoded batch, List<BatchEncoder.Result> results) {}

  private void write(Encoded e, LatentFiles latents, LatentFiles rejects, Map<String, Long> rejected,
      LatentStats stats) throws java.io.IOException {
    for (int i = 0; i < e.results().size(); i++) {
      BatchEncoder.Result r = e.results().get(i);
      String id = e.batch().ids().get(i);
      if (r.error() != null) {
        rejects.write(id, ENCODE_FAILED, "the encoder failed on this image alone: " + r.error());
        rejected.merge(ENCODE_FAILED, 1L, Long::sum);
        continue;
      }
      latents.write(row(id, r.latents(), stats));
    }
    done.add(e.batch().ids().size() + e.batch().rejects().size());
  }

  /** The future's value; its failure rethrown as it was thrown, so the task fails with the real cause. */
  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw (Error) e.getCause();
    }
  }

  private static ExecutorService thread(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** The next batch's raw rows, pulled on the task thread (Spark's iterator is not thread-safe), decoded on {@code pool}. */
  private Future<Decoded> submit(ExecutorService pool, Iterator<Row> rows) {
    List<Row> raw = new ArrayList<>(batchSize);
    while (raw.size() < batchSize && rows.hasNext()) {
      raw.add(rows.next());
    }
    return raw.isEmpty() ? null : pool.submit(() -> decode(raw));
  }

  private Decoded decode(List<Row> raw) {
    Decoded d = new Decoded(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Row r : raw) {
      String id = r.getString(0);
      int width = r.isNullAt(3) ? -1 : r.getInt(3);
      int height = r.isNullAt(4) ? -1 : r.getInt(4);
      if (width != layout.imageWidth() || height != layout.imageHeight()) {
        d.rejects().add(new String[] {id, WRONG_SIZE, "the row is " + width + "x" + height + ", the autoencoder "
            + "takes " + layout.imageWidth() + "x" + layout.imageHeight() + ": preprocess to that size"});
        continue;
      }
      try {
        d.images().add(DatasetImages.chwUnit(r.isNullAt(1) ? null : r.getAs(1), r.getString(2), width, height));
        d.ids().add(id);
      } catch (DatasetImages.BadImageException e) {
        d.rejects().add(new String[] {id, UNDECODABLE, e.getMessage()});
      }
    }
    return d;
  }

  /** The row's values: id, then per level the mean (and log-variance) in the cache's dtype. */
  private Object[] row(String id, float[][][] z, LatentStats stats) {
    Object[] values = new Object[1 + z.length * (layout.logvar() ? 2 : 1)];
    values[0] = id;
    int k = 1;
    for (int l = 0; l < z.length; l++) {
      byte[] mean = layout.dtype().encode(z[l][0], 0, z[l][0].length);
      stats.add(l, layout.dtype().decode(mean)); // statistics of what readers get back
      values[k++] = mean;
      if (layout.logvar()) {
        values[k++] = layout.dtype().encode(z[l][1], 0, z[l][1].length);
      }
    }
    return values;
  }
}
