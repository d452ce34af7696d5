package org.pdm.train.loop;

/** The run stopped on SIGTERM/SIGINT after writing a checkpoint; the output stays unfinished, for --resume. */
public final class StoppedException extends RuntimeException {
  private final long step;

  public StoppedException(long step, String checkpoint) {
    super("stopped by a signal at step " + step + "; checkpoint " + checkpoint + " written; --resume continues");
    this.step = step;
  }

  public long step() {
    return step;
  }
}
