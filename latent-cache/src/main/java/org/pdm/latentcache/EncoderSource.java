package org.pdm.latentcache;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import org.apache.spark.util.SerializableConfiguration;
import org.pdm.model.autoencoder.PyramidEncoderModel;
import org.pdm.model.executor.CheckpointFiles;
import org.pdm.model.executor.ModelRegistry;
import org.pdm.model.train.Checkpoint;

/**
 * What a task needs to find its executor's encoder: the checkpoint's Hadoop path and hash and which
 * weights; small and serializable, never the model itself.
 */
record EncoderSource(String checkpoint, String hash, boolean ema, SerializableConfiguration hadoop)
    implements Serializable {

  /** The encoder alone, with the manager it lives in (closed with it). */
  record Handle(PyramidEncoderModel model, NDManager manager) implements AutoCloseable {
    @Override
    public void close() {
      manager.close();
    }
  }

  /** This JVM's encoder on {@code device}, loaded the first time. */
  ModelRegistry.Entry<Handle> get(Device device) throws Exception {
    return ModelRegistry.get(ModelRegistry.Key.of(hash, device, ema ? "encoder-ema" : "encoder"), () -> {
      java.nio.file.Path local = CheckpointFiles.local(hadoop.value(), checkpoint, hash);
      NDManager manager = NDManager.newBaseManager(device);
      try {
        return new Handle(Checkpoint.loadEncoder(local, manager, device, ema), manager);
      } catch (Exception e) {
        manager.close();
        throw e;
      }
    });
  }
}
