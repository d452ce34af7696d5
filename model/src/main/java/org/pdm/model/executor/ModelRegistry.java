package org.pdm.model.executor;

import ai.djl.Device;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * run it at once. Each model has one thread of its own that loads it and runs every {@link Entry#use}:
 * tasks sharing an executor's model take turns on the device while doing their CPU work (decoding,
 * writing) in parallel on their own threads. One thread and not a lock, because libtorch's memory
 * comes from glibc's malloc, which gives each new thread its own arena: Spark runs tasks on changing
 * threads, and a model run from a fresh thread page-faulted its GBs of activations anew, once 25 s
 * instead of 5 s for a batch of autoencoder-256, and stayed 1.5x slower (docs/latent-cache.md).
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

    String shortHash() {
      return checkpointHash.substring(0, Math.min(12, checkpointHash.length()));
    }
  }

  /** How to load a model on a device; called once per key and JVM. */
  @FunctionalInterface
  public interface Loader<M extends AutoCloseable> {
    M load() throws Exception;
  }

  /** A shared model and the one thread that runs it. */
  public static final class Entry<M extends AutoCloseable> {
    private final ExecutorService thread;
    private final Thread[] owner = new Thread[1];
    private volatile M model;

    private Entry(String name) {
      this.thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        owner[0] = t;
        return t;
      });
    }

    /**
     * Runs {@code work} with the model on the model's thread, after the work other threads asked for
     * earlier; the caller waits. A call from within such work runs at once.
     */
    public <R> R use(Function<M, R> work) {
      if (Thread.currentThread() == owner[0]) {
        return work.apply(model);
      }
      return call(() -> work.apply(model));
    }

    private <R> R call(Callable<R> work) {
      Future<R> result = thread.submit(work);
      try {
        return result.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // a killed task: the model finishes this call on its own
        throw new IllegalStateException("interrupted while waiting for the model", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause.getMessage(), cause);
      }
    }

    private void close() throws Exception {
      try {
        if (model != null) {
          call(() -> {
            model.close();
            return null;
          });
        }
      } finally {
        thread.shutdown();
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
        Entry<M> entry = new Entry<>("pdm-model-" + key.shortHash() + "-" + key.device() + "-" + key.variant());
        try {
          entry.model = entry.call(() -> {
            EngineThreads.applyToCurrentThread();
            return load(loader);
          });
        } catch (LoadException e) {
          entry.thread.shutdown();
          throw (Exception) e.getCause();
        } catch (RuntimeException | Error e) {
          entry.thread.shutdown();
          throw e;
        }
        found = entry;
        MODELS.put(key, found);
        LOG.info("loaded model {} on {} ({}) in {} s", key.shortHash(), key.device(), key.variant(),
            String.format("%.2f", (System.nanoTime() - start) / 1e9));
      }
      return (Entry<M>) found;
    }
  }

  private static <M extends AutoCloseable> M load(Loader<M> loader) {
    try {
      return loader.load();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new LoadException(e);
    }
  }

  /** A checked failure of a loader, carried through the model's thread and unwrapped by {@link #get}. */
  private static final class LoadException extends RuntimeException {
    LoadException(Exception cause) {
      super(cause.getMessage(), cause);
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
        e.close();
      } catch (Exception ex) {
        LOG.debug("closing a model at exit failed", ex);
      }
    }
    MODELS.clear();
  }
}
