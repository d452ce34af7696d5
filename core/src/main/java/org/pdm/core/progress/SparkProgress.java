package org.pdm.core.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * A progress line for long Spark work: rows done (from an accumulator the stage's tasks add to),
 * rate and ETA, and the running Spark tasks. On a terminal it redraws one line (the progressbar
 * library); in logs it prints a plain line at most every interval.
 *
 * <pre>{@code
 * LongAccumulator rows = spark.sparkContext().longAccumulator("rows");
 * try (SparkProgress p = SparkProgress.start(spark, "ingest", totalRows, rows, settings)) { ...job... }
 * }</pre>
 */
public final class SparkProgress implements AutoCloseable {
  private final SparkStatusTracker tracker;
  private final LongAccumulator rows;
  private final RowsDone done;
  private final SparkSession spark;
  private final long total;
  private final String label;
  private final ProgressBar bar;
  private final PrintStream log;
  private final ScheduledExecutorService timer;
  private final long startNanos = System.nanoTime();

  private SparkProgress(SparkSession spark, String label, long total, LongAccumulator rows, Duration interval,
      boolean enabled, PrintStream err) {
    this.tracker = spark.sparkContext().statusTracker();
    this.rows = rows;
    this.spark = spark;
    this.done = new RowsDone(rows);
    spark.sparkContext().addSparkListener(done);
    this.total = total;
    this.label = label;
    boolean terminal = System.console() != null;
    this.bar = enabled && terminal
        ? new ProgressBarBuilder().setTaskName(label).setInitialMax(Math.max(total, 0)).setUnit(" rows", 1)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis((int) interval.toMillis()).showSpeed()
            .setConsumer(new ConsoleProgressBarConsumer(err)).build()
        : null;
    this.log = enabled && !terminal ? err : null;
    if (enabled) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pdm-progress");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleAtFixedRate(this::update, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /**
   * @param total rows expected, or 0 when unknown (the line then shows the rate without an ETA)
   * @param rows an accumulator the stage's tasks add each finished row to
   */
  public static SparkProgress start(SparkSession spark, String label, long total, LongAccumulator rows,
      Duration interval, boolean enabled) {
    return start(spark, label, total, rows, interval, enabled, System.err);
  }

  /** As above, printing to {@code err}. */
  public static SparkProgress start(SparkSession spark, String label, long total, LongAccumulator rows,
      Duration interval, boolean enabled, PrintStream err) {
    return new SparkProgress(spark, label, total, rows, interval, enabled, err);
  }

  /** Rows done so far, those of running tasks included (as of their last heartbeat). */
  public long done() {
    return done.value();
  }

  private void update() {
    long done = done();
    String tasks = tasks();
    if (bar != null) {
      bar.stepTo(done);
      bar.setExtraMessage(tasks);
    } else if (log != null) {
      log.println(line(done, tasks));
    }
  }

  /** For example {@code ingest: 1200/5000 rows, 85.3 rows/s, ETA 44 s, tasks 3/8}. */
  String line(long done, String tasks) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder s = new StringBuilder(label).append(": ").append(done);
    if (total > 0) {
      s.append('/').append(total);
    }
    s.append(" rows, ").append(String.format("%.1f", rate)).append(" rows/s");
    if (total > 0 && rate > 0) {
      s.append(", ETA ").append(Math.round((total - done) / rate)).append(" s");
    }
    return s.append(", ").append(tasks).toString();
  }

  private String tasks() {
    int done = 0;
    int all = 0;
    for (int id : tracker.getActiveStageIds()) {
      SparkStageInfo info = tracker.getStageInfo(id).getOrElse(() -> null);
      if (info != null) {
        done += info.numCompletedTasks();
        all += info.numTasks();
      }
    }
    return "tasks " + done + "/" + all;
  }

  @Override
  public void close() {
    spark.sparkContext().removeSparkListener(done);
    if (timer != null) {
      timer.shutdownNow();
    }
    if (bar != null) {
      bar.stepTo(rows.value());
      bar.close();
    }
  }
}
