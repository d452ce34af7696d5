package org.pdm.model.executor;

import ai.djl.Device;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model per executor JVM and (checkpoint hash, device, variant), loaded lazily by the first task
 * that asks and shared by every later task of that JVM (DJL's Spark extension loads per partition,
 * PLATFORM-NOTES). Never shipped from the driver: tasks carry only the checkpoint's path and hash.
 * Freed when the JVM exits.
 *
 * <p>A model moves its weights into each step's scope ({@code StepScope}), so two threads must not
 * run it at once: {@link Entry#use} takes the entry's lock. Tasks sharing an executor's model take
 * turns on the device while doing their CPU work (decoding, writing) in parallel.
 */
public final class ModelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
  private static final Map<Key, Entry<?>> MODELS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ModelRegistry::closeAll, "pdm-model-registry-close"));
  }

  private ModelRegistry() {}

  /** What identifies a loaded model: the checkpoint's content hash, the device, and what was loaded. */
  public record Key(String checkpointHash, String device, String variant) {
    public static Key of(String checkpointHash, Device device, String variant) {
      return new Key(checkpointHash, device.toString(), variant);
    }
  }

  /** How to load a model on a device; called once per key and JVM. */
  @FunctionalInterface
  public interface Loader<M extends AutoCloseable> {
    M load() throws Exception;
  }

  /** A shared model with the lock that serializes its use. */
  public static final class Entry<M extends AutoCloseable> {
    private final M model;
    private final ReentrantLock lock = new ReentrantLock();

    Entry(M model) {
      this.model = model;
    }

    /** Runs {@code work} with the model while no other thread of this JVM runs it. */
    public <R> R use(Function<M, R> work) {
      lock.lock();
      try {
        return work.apply(model);
      } finally {
        lock.unlock();
      }
    }
  }

  /** The model for {@code key}, loaded by {@code loader} if this JVM has none yet. */
  @SuppressWarnings("unchecked")
  public static <M extends AutoCloseable> Entry<M> get(Key key, Loader<M> loader) throws Exception {
    Entry<?> found = MODELS.get(key);
    if (found != null) {
      return (Entry<M>) found;
    }
    synchronized (ModelRegistry.class) { // one load at a time: a model can take GBs
      found = MODELS.get(key);
      if (found == null) {
        long start = System.nanoTime();
        found = new Entry<>(loader.load());
        MODELS.put(key, found);
        LOG.info("loaded model {} on {} ({}) in {} s", key.checkpointHash().substring(0,
            Math.min(12, key.checkpointHash().length())), key.device(), key.variant(),
            String.format("%.2f", (System.nanoTime() - start) / 1e9));
      }
      return (Entry<M>) found;
    }
  }

  /** How many models this JVM holds (for tests and logs). */
  public static int size() {
    return MODELS.size();
  }

  /** Frees every model (at JVM exit; tests call it to start clean). */
  public static synchronized void closeAll() {
    for (Entry<?> e : MODELS.values()) {
      try {
        e.model.close();
      } catch (Exception ex) {
        LOG.debug("closing a model at exit failed", ex);
      }
    }
    MODELS.clear();
  }
}
