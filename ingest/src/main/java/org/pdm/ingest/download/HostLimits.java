package org.pdm.ingest.download;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * At most N downloads in flight per host, shared by every task of the JVM. A host's semaphore lives
 * only while some thread holds or waits for it: an idle host is dropped (a semaphore with all its
 * permits back holds no state), so the map is bounded by the downloads in flight, not by every host
 * an executor has seen.
 */
final class HostLimits {
  private final Map<String, Slot> slots = new HashMap<>(); // guarded by this

  /** A host's permits and how many threads hold or wait for them. */
  static final class Slot {
    private final String key;
    private final Semaphore permits;
    private int users;

    private Slot(String key, int permits) {
      this.key = key;
      this.permits = new Semaphore(permits);
    }
  }

  /** Waits for one of the host's {@code perHost} permits; give it back with {@link #release}. */
  Slot acquire(String host, int perHost) throws InterruptedException {
    String key = host + "/" + perHost;
    Slot s;
    synchronized (this) {
      s = slots.computeIfAbsent(key, k -> new Slot(k, perHost));
      s.users++;
    }
    try {
      s.permits.acquire();
    } catch (InterruptedException e) {
      leave(s);
      throw e;
    }
    return s;
  }

  void release(Slot s) {
    s.permits.release();
    leave(s);
  }

  private synchronized void leave(Slot s) {
    if (--s.users == 0) {
      slots.remove(s.key);
    }
  }

  /** Hosts with a download in flight or waiting. */
  synchronized int hosts() {
    return slots.size();
  }
}
