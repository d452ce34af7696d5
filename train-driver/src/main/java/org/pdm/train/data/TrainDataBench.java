package org.pdm.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.pdm.core.schema.ValidationSplit;

/**
 * Measures the data path on real files, for {@code pdm bench train}: the time to open (index the
 * footers and ids), the stream's rows/s and batches/s over {@code batches} batches with the configured
 * threads and prefetch, and decoding alone on one thread (rows read beforehand, then decoded), which
 * says how many threads keep up with a device.
 */
public final class TrainDataBench {
  private TrainDataBench() {}

  /** What one measurement found. */
  public record Result(long batches, long rows, double openSeconds, double firstBatchSeconds, double streamSeconds,
      long decodeRows, double decodeSeconds) {
    /** Rows per second of the stream, after its first batch. */
    public double rowsPerSecond() {
      return rows / streamSeconds;
    }

    public double batchesPerSecond() {
      return batches / streamSeconds;
    }

    /** Rows per second one thread decodes, Parquet reading excluded. */
    public double decodeRowsPerSecond() {
      return decodeRows / decodeSeconds;
    }

    public String text() {
      return String.format(Locale.ROOT, "open (index) %.2f s, first batch %.2f s; stream: %d batches, %d rows in "
          + "%.2f s = %.1f rows/s, %.2f batches/s; decode alone (1 thread): %d rows in %.2f s = %.1f rows/s",
          openSeconds, firstBatchSeconds, batches, rows, streamSeconds, rowsPerSecond(), batchesPerSecond(),
          decodeRows, decodeSeconds, decodeRowsPerSecond());
    }
  }

  /**
   * Streams {@code batches} batches (plus a first one not counted, which includes the start-up) of
   * {@code path}, then decodes up to {@code decodeRows} training rows on this thread.
   */
  public static Result measure(Configuration conf, String path, TrainData.Kind kind, TrainDataConfig cfg,
      int batchSize, int batches, int decodeRows) throws IOException {
    long t0 = System.nanoTime();
    double openSeconds;
    double firstSeconds;
    long rows = 0;
    long t2;
    try (ParquetBatchStream stream = TrainData.open(conf, path, kind, cfg, batchSize, StreamPosition.start(0))) {
      long t1 = System.nanoTime();
      openSeconds = (t1 - t0) / 1e9;
      stream.next();
      t2 = System.nanoTime();
      firstSeconds = (t2 - t1) / 1e9;
      for (int i = 0; i < batches; i++) {
        rows += stream.next().size();
      }
    }
    double streamSeconds = (System.nanoTime() - t2) / 1e9;
    DataIndex index = index(conf, path, kind, cfg);
    List<RawRow> raw = rawRows(conf, index, decodeRows);
    RowFormat format = index.format();
    long t3 = System.nanoTime();
    for (int i = 0; i < raw.size(); i += batchSize) {
      format.decode(raw.subList(i, Math.min(raw.size(), i + batchSize)));
    }
    double decodeSeconds = (System.nanoTime() - t3) / 1e9;
    return new Result(batches, rows, openSeconds, firstSeconds, streamSeconds, raw.size(), decodeSeconds);
  }

  /** The first {@code limit} training rows in file order, read but not decoded. */
  private static List<RawRow> rawRows(Configuration conf, DataIndex index, int limit) throws IOException {
    List<RawRow> out = new ArrayList<>();
    try (RowGroupReader reader = new RowGroupReader(conf, index.format())) {
      for (int g = 0; g < index.groups().size() && out.size() < limit; g++) {
        int[] wanted = index.training()[g];
        for (RowGroupReader.IndexedRow r : reader.read(index.groups().get(g),
            x -> java.util.Arrays.binarySearch(wanted, x) >= 0)) {
          if (out.size() < limit) {
            out.add(r.row());
          }
        }
      }
    }
    return out;
  }

  private static DataIndex index(Configuration conf, String path, TrainData.Kind kind, TrainDataConfig cfg)
      throws IOException {
    Path data = TrainData.resolve(conf, path, kind);
    ExecutorService pool = Executors.newFixedThreadPool(cfg.threads());
    try {
      return DataIndexer.scan(conf, data, kind, new ValidationSplit(cfg.validationFraction()), pool);
    } finally {
      pool.shutdown();
    }
  }
}
