package org.pdm.ingest;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.pdm.core.stage.FileSystems;
import org.pdm.ingest.source.SourceItem;
import org.pdm.ingest.write.Outcome;
import org.pdm.ingest.write.PendingWriter;

/**
 * The Spark side of downloading: one task takes its partition of pending items, runs
 * {@code threads-per-task} of them at a time through an {@link ItemProcessor}, and writes each
 * outcome as it arrives through a {@link PendingWriter} into the output's {@code _pending/} folder.
 * Only a small {@link TaskReport} goes back to the driver, never the bytes.
 */
final class DownloadTask implements FlatMapFunction<Iterator<Row>, TaskReport> {
  private final IngestConfig config;
  private final String pendingDir;
  private final String runId;
  private final SerializableConfiguration hadoop;
  private final LongAccumulator done;

  DownloadTask(IngestConfig config, String pendingDir, String runId, SerializableConfiguration hadoop,
      LongAccumulator done) {
    this.config = config;
    this.pendingDir = pendingDir;
    this.runId = runId;
    this.hadoop = hadoop;
    this.done = done;
  }

  @Override
  public Iterator<TaskReport> call(Iterator<Row> rows) throws Exception {
    TaskContext tc = TaskContext.get();
    String name = runId + String.format("-p%05d-a%d", tc == null ? 0 : tc.partitionId(), tc == null ? 0 : tc.attemptNumber());
    Path dir = new Path(pendingDir);
    FileSystem fs = FileSystems.forPath(dir, hadoop.value());
    ItemProcessor processor = new ItemProcessor(config.download(), config.filter(), hadoop.value());
    int threads = config.download().threadsPerTask();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "pdm-download");
      t.setDaemon(true);
      return t;
    });
    TaskReport report = new TaskReport();
    PendingWriter writer = new PendingWriter(fs, hadoop.value(), dir, name, runId, config.checkpointItems(),
        config.checkpointBytes());
    try {
      ExecutorCompletionService<Outcome> results = new ExecutorCompletionService<>(pool);
      int inFlight = 0;
      while (rows.hasNext() || inFlight > 0) {
        while (inFlight < 2 * threads && rows.hasNext()) {
          SourceItem item = SourceItem.of(rows.next());
          results.submit(() -> processor.process(item));
          inFlight++;
        }
        Outcome o = results.take().get();
        inFlight--;
        writer.write(o);
        report.add(o);
        done.add(1);
      }
      writer.close();
    } catch (InterruptedException | ExecutionException | RuntimeException | java.io.IOException e) {
      writer.abort();
      throw e;
    } finally {
      pool.shutdownNow();
    }
    return List.of(report).iterator();
  }
}
