package org.pdm.train.loop;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM and SIGINT (a scheduler's stop, Ctrl-C) as a request to the loop: a JVM shutdown hook
 * sets the flag, the loop writes a checkpoint at the next step boundary and says it is done, and
 * only then does the hook let the JVM end (waiting at most {@code maxWait}, so a loop stuck
 * elsewhere cannot keep the JVM alive for ever).
 */
public final class StopSignal implements AutoCloseable {
  private volatile boolean requested;
  private final CountDownLatch saved = new CountDownLatch(1);
  private final Thread hook;

  private StopSignal(long maxWaitSeconds, boolean install) {
    hook = new Thread(() -> {
      requested = true;
      try {
        saved.await(maxWaitSeconds, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pdm-train-stop");
    if (install) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /** Installs the shutdown hook; {@link #close} removes it. */
  public static StopSignal install(long maxWaitSeconds) {
    return new StopSignal(maxWaitSeconds, true);
  }

  /** A signal that only {@link #request} sets (tests, benchmarks). */
  public static StopSignal manual() {
    return new StopSignal(0, false);
  }

  public boolean requested() {
    return requested;
  }

  public void request() {
    requested = true;
  }

  /** The loop's answer: the checkpoint is written (or the loop ended), the JVM may go. */
  public void done() {
    saved.countDown();
  }

  @Override
  public void close() {
    done();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // already shutting down, or never installed
    }
  }
}
