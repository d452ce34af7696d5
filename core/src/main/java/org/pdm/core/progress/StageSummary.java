package org.pdm.core.progress;

import java.io.PrintStream;
import java.util.Map;
import org.pdm.core.stage.StageResult;

/** The lines printed when a stage ends: what it wrote, where, the counts and how long it took. */
public final class StageSummary {
  private StageSummary() {}

  public static void print(PrintStream out, StageResult result) {
    var m = result.manifest();
    if (result.skipped()) {
      out.printf("%s: %s is up to date (same configuration and inputs as the run of %s); skipped, --force redoes it%n",
          m.stage(), result.output(), m.finishedAt());
    } else {
      out.printf("%s: wrote %s in %.1f s%n", m.stage(), result.output(), m.seconds());
    }
    for (Map.Entry<String, Long> c : m.counts().entrySet()) {
      out.printf("  %-24s %,d%n", c.getKey(), c.getValue());
    }
  }
}
