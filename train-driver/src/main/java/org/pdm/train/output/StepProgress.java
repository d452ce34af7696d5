package org.pdm.train.output;

import java.io.PrintStream;

/**
 * The progress line on standard error: step, loss, steps/s, samples/s and ETA. Rates count only
 * this process's steps (a resumed run starts its clock at the resume). On a terminal the line is
 * rewritten in place; otherwise (logs, CI) a full line is printed each time.
 */
public final class StepProgress {
  private final PrintStream err;
  private final String label;
  private final long target;
  private final long firstStep;
  private final long start = System.nanoTime();
  private final boolean terminal = System.console() != null;

  public StepProgress(PrintStream err, String label, long firstStep, long target) {
    this.err = err;
    this.label = label;
    this.firstStep = firstStep;
    this.target = target;
  }

  /** Prints the line for {@code step} with its {@code loss}; {@code samplesPerStep} = batch x accumulation. */
  public void update(long step, double loss, int samplesPerStep) {
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = seconds > 0 ? (step - firstStep) / seconds : 0;
    String eta = rate > 0 ? duration((target - step) / rate) : "?";
    String line = String.format("%s: step %d/%d, loss %.5g, %.2f steps/s, %.1f samples/s, ETA %s", label, step,
        target, loss, rate, rate * samplesPerStep, eta);
    if (terminal) {
      err.print("\r" + line + (step >= target ? "\n" : ""));
    } else {
      err.println(line);
    }
    err.flush();
  }

  static String duration(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format("%dh%02dm", t / 3600, t % 3600 / 60)
        : t >= 60 ? String.format("%dm%02ds", t / 60, t % 60) : t + "s";
  }
}
