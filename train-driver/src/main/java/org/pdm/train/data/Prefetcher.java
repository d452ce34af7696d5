package org.pdm.train.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads batches on one thread ({@link BatchSource}) and decodes each on the pool, keeping up to
 * {@code prefetch} batches ahead of the consumer; the consumer takes them in order, so the batches
 * are the same whatever the number of threads and their timing. Bad rows are counted here, in batch
 * order, once per id (a bad row comes back every epoch).
 */
final class Prefetcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Prefetcher.class);

  /** A batch on its way: decoded (or failed) and the position after it; {@code end} closes the pass. */
  private record Pending(CompletableFuture<RowFormat.Decoded> batch, StreamPosition after, boolean end) {}

  private final ExecutorService pool;
  private final BlockingQueue<Pending> queue;
  private final Thread reader;
  private final BadRows badRows;
  private final Set<String> seenBad = new HashSet<>();
  private volatile boolean closed;
  private boolean ended;
  private Throwable failed;

  Prefetcher(BatchSource source, RowFormat format, ExecutorService pool, int prefetch, BadRows badRows,
      String name) {
    this.pool = pool;
    this.queue = new ArrayBlockingQueue<>(prefetch);
    this.badRows = badRows;
    this.reader = new Thread(() -> read(source, format), name);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(BatchSource source, RowFormat format) {
    try {
      while (!closed) {
        BatchSource.Planned planned = source.next();
        if (planned == null) {
          queue.put(new Pending(null, null, true));
          return;
        }
        queue.put(new Pending(CompletableFuture.supplyAsync(() -> format.decode(planned.rows()), pool),
            planned.after(), false));
      }
    } catch (InterruptedException e) {
      // closed
    } catch (Throwable e) {
      try {
        queue.put(new Pending(CompletableFuture.failedFuture(e), null, false));
      } catch (InterruptedException closed) {
        // closed while handing the failure over
      }
    } finally {
      source.close();
    }
  }

  /** A decoded batch with at least one row and the position after it; null when the pass is over. */
  Taken take() throws IOException {
    if (closed) {
      throw new IllegalStateException("the stream is closed");
    }
    if (failed != null) {
      throw new IOException("the stream stopped on an earlier error: " + failed.getMessage(), failed);
    }
    while (!ended) {
      Pending p;
      RowFormat.Decoded decoded;
      try {
        p = queue.take();
        if (p.end()) {
          ended = true;
          return null;
        }
        decoded = p.batch().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a batch");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        failed = cause;
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        throw new IOException(cause.getMessage(), cause);
      }
      for (BadRows.Row bad : decoded.bad()) {
        if (seenBad.add(bad.id())) {
          LOG.warn("skipping row {}: {}", bad.id(), bad.reason());
          badRows.add(bad.id(), bad.reason());
        }
      }
      if (decoded.batch().size() > 0) {
        return new Taken(decoded.batch(), p.after());
      }
    }
    return null;
  }

  /** Counts rows found bad before streaming (while indexing), as the stream does. */
  void badBeforehand(Iterable<BadRows.Row> rows) {
    for (BadRows.Row bad : rows) {
      if (seenBad.add(bad.id())) {
        LOG.warn("skipping row {}: {}", bad.id(), bad.reason());
        badRows.add(bad.id(), bad.reason());
      }
    }
  }

  record Taken(Batch batch, StreamPosition after) {}

  @Override
  public void close() {
    closed = true;
    reader.interrupt();
    pool.shutdownNow();
  }
}
