package org.pdm.ingest.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HostLimitsTest {
  @Test
  void idleHostsAreDropped() throws Exception {
    HostLimits limits = new HostLimits();
    for (int i = 0; i < 1000; i++) {
      limits.release(limits.acquire("host" + i + ":80", 4));
    }
    assertEquals(0, limits.hosts(), "a host without downloads in flight holds no entry");
  }

  @Test
  void theLimitHoldsWhileAHostIsBusy() throws Exception {
    HostLimits limits = new HostLimits();
    HostLimits.Slot first = limits.acquire("a:80", 1);
    CountDownLatch got = new CountDownLatch(1);
    Thread second = new Thread(() -> {
      try {
        limits.release(limits.acquire("a:80", 1));
        got.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    second.start();
    assertFalse(got.await(200, TimeUnit.MILLISECONDS), "one download per host at a time");
    assertEquals(1, limits.hosts());
    limits.release(first);
    assertTrue(got.await(5, TimeUnit.SECONDS));
    second.join();
    assertEquals(0, limits.hosts());
  }
}
