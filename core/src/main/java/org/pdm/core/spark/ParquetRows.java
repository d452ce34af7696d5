package org.pdm.core.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Rows in Parquet files from their footers, read on the driver without a Spark job (a job costs a
 * second or more of scheduling; a footer is one small read). Footers of many files, as on an object
 * store, are read by a few threads at once.
 */
public final class ParquetRows {
  private static final int THREADS = 8;

  private ParquetRows() {}

  public static long count(Configuration conf, Collection<Path> files) throws IOException {
    if (files.size() <= 1) {
      long n = 0;
      for (Path f : files) {
        n += count(conf, f);
      }
      return n;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, files.size()), r -> {
      Thread t = new Thread(r, "pdm-parquet-footers");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Long>> counts = new ArrayList<>();
      for (Path f : files) {
        counts.add(pool.submit(() -> count(conf, f)));
      }
      long n = 0;
      for (Future<Long> c : counts) {
        n += c.get();
      }
      return n;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading Parquet footers", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  public static long count(Configuration conf, Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      return reader.getRecordCount();
    }
  }
}
