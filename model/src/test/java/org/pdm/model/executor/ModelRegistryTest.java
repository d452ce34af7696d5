package org.pdm.model.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir
  Path dir;

  /** A stand-in model that counts closes. */
  private static final class Fake implements AutoCloseable {
    final AtomicInteger closed = new AtomicInteger();

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  @Test
  void loadsOncePerHashDeviceAndVariantAndClosesAtTheEnd() throws Exception {
    ModelRegistry.closeAll();
    AtomicInteger loads = new AtomicInteger();
    ModelRegistry.Loader<Fake> loader = () -> {
      loads.incrementAndGet();
      return new Fake();
    };
    var a = ModelRegistry.get(ModelRegistry.Key.of("h1", Device.cpu(), "encoder"), loader);
    var b = ModelRegistry.get(ModelRegistry.Key.of("h1", Device.cpu(), "encoder"), loader);
    assertSame(a, b);
    ModelRegistry.get(ModelRegistry.Key.of("h1", Device.gpu(0), "encoder"), loader);
    ModelRegistry.get(ModelRegistry.Key.of("h2", Device.cpu(), "encoder"), loader);
    assertEquals(3, loads.get());
    assertEquals(3, ModelRegistry.size());
    Fake model = a.use(m -> m);
    ModelRegistry.closeAll();
    assertEquals(1, model.closed.get());
    assertEquals(0, ModelRegistry.size());
  }

  @Test
  void oneThreadLoadsAndRunsTheModelWhoeverAsksAndFailuresReachTheCaller() throws Exception {
    ModelRegistry.closeAll();
    java.util.Set<Thread> used = java.util.concurrent.ConcurrentHashMap.newKeySet();
    var entry = ModelRegistry.get(ModelRegistry.Key.of("h3", Device.cpu(), "encoder"), () -> {
      used.add(Thread.currentThread());
      return new Fake();
    });
    java.util.concurrent.ExecutorService tasks = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) {
        int k = i;
        results.add(tasks.submit(() -> entry.use(m -> {
          used.add(Thread.currentThread());
          return entry.use(inner -> k * 2); // nested use runs at once instead of waiting for itself
        })));
      }
      for (int i = 0; i < 12; i++) {
        assertEquals(2 * i, results.get(i).get());
      }
    } finally {
      tasks.shutdown();
    }
    assertEquals(1, used.size(), "loader and every use ran on the model's own thread");
    assertNotEquals(Thread.currentThread(), used.iterator().next());
    var failure = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> entry.use(m -> {
          throw new IllegalArgumentException("bad batch");
        }));
    assertEquals("bad batch", failure.getMessage());
    assertThrows(OutOfMemoryError.class, () -> entry.use(m -> {
      throw new OutOfMemoryError("device");
    }));
    var load = assertThrows(java.io.IOException.class,
        () -> ModelRegistry.get(ModelRegistry.Key.of("h4", Device.cpu(), "encoder"), () -> {
          throw new java.io.IOException("no weights");
        }));
    assertEquals("no weights", load.getMessage());
    assertEquals(1, ModelRegistry.size(), "a failed load is not registered");
    ModelRegistry.closeAll();
  }

  @Test
  void theHashFollowsTheModelFilesAndALocalCheckpointIsReadInPlace() throws Exception {
    for (String f : CheckpointFiles.MODEL_FILES) {
      Files.writeString(dir.resolve(f), f);
    }
    Configuration conf = new Configuration();
    String h1 = CheckpointFiles.hash(conf, dir.toString());
    assertEquals(h1, CheckpointFiles.hash(conf, dir.toString()));
    Files.writeString(dir.resolve("optimizer.safetensors"), "not read");
    assertEquals(h1, CheckpointFiles.hash(conf, dir.toString()), "the optimizer state does not count");
    Files.writeString(dir.resolve("ema.safetensors"), "other weights");
    assertNotEquals(h1, CheckpointFiles.hash(conf, dir.toString()));
    assertEquals(dir.toRealPath(), CheckpointFiles.local(conf, dir.toString(), h1).toRealPath());
    Files.delete(dir.resolve("model.conf"));
    var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> CheckpointFiles.hash(conf, dir.toString()));
    assertTrue(e.getMessage().contains("no model.conf"), e.getMessage());
  }
}
