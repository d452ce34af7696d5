package org.pdm.train.data;

import java.util.ArrayList;
import java.util.List;
import org.pdm.model.nn.Rng;

/**
 * Batches of rows held in memory: each epoch visits every row once in an order drawn from
 * {@code (seed, epoch)} alone, in full batches (the last partial batch of an epoch is dropped, so
 * that every step sees the same batch size). Restarting from a {@link StreamPosition} gives exactly
 * the batches the uninterrupted stream would have given. Serves tests, benchmarks (the loop without
 * the Parquet reader) and data sets small enough to hold.
 */
public final class InMemoryBatchStream implements BatchStream {
  private final List<Example> rows;
  private final List<long[]> shapes;
  private final int batchSize;
  private final long seed;
  private final BadRows badRows;
  private final int batchesPerEpoch;
  private int epoch;
  private long batches;
  private int[] order;

  /**
   * @param rows the rows, all with tensors of {@code shapes} (no batch axis)
   * @param start where to continue ({@link StreamPosition#start} for a new run)
   */
  public InMemoryBatchStream(List<Example> rows, List<long[]> shapes, int batchSize, StreamPosition start,
      BadRows badRows) {
    if (rows.size() < batchSize) {
      throw new IllegalArgumentException(rows.size() + " training rows, fewer than one batch of " + batchSize
          + ": lower pdm.train.batch-size or give more data");
    }
    this.rows = List.copyOf(rows);
    this.shapes = List.copyOf(shapes);
    this.batchSize = batchSize;
    this.seed = start.seed();
    this.badRows = badRows;
    this.batchesPerEpoch = rows.size() / batchSize;
    this.epoch = start.epoch();
    this.batches = start.batches();
    this.order = order(epoch);
  }

  @Override
  public Batch next() {
    if (batches >= batchesPerEpoch) {
      epoch++;
      batches = 0;
      order = order(epoch);
    }
    int from = Math.toIntExact(batches * batchSize);
    List<Example> part = new ArrayList<>(batchSize);
    for (int b = 0; b < batchSize; b++) {
      part.add(rows.get(order[from + b]));
    }
    batches++;
    return batchOf(part, shapes);
  }

  /** The rows as one batch, in the given order; {@code shapes} are the tensors' without the batch axis. */
  public static Batch batchOf(List<Example> rows, List<long[]> shapes) {
    int n = rows.size();
    List<String> ids = new ArrayList<>(n);
    List<float[]> arrays = new ArrayList<>();
    List<long[]> batchShapes = new ArrayList<>();
    for (int t = 0; t < shapes.size(); t++) {
      long[] s = shapes.get(t);
      int size = Math.toIntExact(size(s));
      float[] a = new float[n * size];
      for (int b = 0; b < n; b++) {
        System.arraycopy(rows.get(b).arrays()[t], 0, a, b * size, size);
      }
      arrays.add(a);
      long[] bs = new long[s.length + 1];
      bs[0] = n;
      System.arraycopy(s, 0, bs, 1, s.length);
      batchShapes.add(bs);
    }
    for (Example e : rows) {
      ids.add(e.id());
    }
    return new Batch(ids, arrays, batchShapes);
  }

  @Override
  public StreamPosition position() {
    return new StreamPosition(seed, epoch, batches);
  }

  @Override
  public BadRows badRows() {
    return badRows;
  }

  /** Rows per epoch actually used (full batches). */
  public int batchesPerEpoch() {
    return batchesPerEpoch;
  }

  @Override
  public void close() {}

  /** A permutation of the rows that depends on (seed, epoch) only (Fisher-Yates). */
  private int[] order(int e) {
    int[] p = new int[rows.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    Rng rng = new Rng(seed * 0x9E3779B97F4A7C15L + e);
    for (int i = p.length - 1; i > 0; i--) {
      int j = (int) ((rng.nextLong() >>> 1) % (i + 1));
      int tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }

  static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
