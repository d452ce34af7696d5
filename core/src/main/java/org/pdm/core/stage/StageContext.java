package org.pdm.core.stage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Handed to a {@link StageWork}: where to write, and where to record counts and timings. */
public final class StageContext {
  private final FileSystem fs;
  private final Path dir;
  private final Path finalDir;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Map<String, Double> timings = new LinkedHashMap<>();

  StageContext(FileSystem fs, Path dir, Path finalDir) {
    this.fs = fs;
    this.dir = dir;
    this.finalDir = finalDir;
  }

  /**
   * The folder to write into: a fresh temporary one that becomes the output when the work returns,
   * or, for {@link StageOutput#append}, the output itself.
   */
  public Path dir() {
    return dir;
  }

  /** A path inside {@link #dir()} as a string, for Spark writers. */
  public String path(String child) {
    return new Path(dir, child).toString();
  }

  /** Where the output will be once committed (for links written into files, never for writing). */
  public Path finalDir() {
    return finalDir;
  }

  public FileSystem fs() {
    return fs;
  }

  /** Records a row count for the manifest and the summary, such as {@code images=24}. */
  public void count(String name, long value) {
    counts.put(name, value);
  }

  /** Runs a step and records its duration under {@code name}. */
  public <T> T timed(String name, Callable<T> step) throws Exception {
    long start = System.nanoTime();
    try {
      return step.call();
    } finally {
      timings.merge(name, (System.nanoTime() - start) / 1e9, Double::sum);
    }
  }

  /** Records a duration measured by the work itself. */
  public void time(String name, double seconds) {
    timings.merge(name, seconds, Double::sum);
  }

  Map<String, Long> counts() {
    return counts;
  }

  Map<String, Double> timings() {
    return timings;
  }
}
