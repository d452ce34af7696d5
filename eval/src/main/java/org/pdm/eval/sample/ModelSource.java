package org.pdm.eval.sample;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.SerializableConfiguration;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.executor.CheckpointFiles;
import org.pdm.model.executor.ModelRegistry;
import org.pdm.model.nn.Module;
import org.pdm.model.train.Checkpoint;

/**
 * What a task needs to find its executor's copy of a model: the checkpoint's Hadoop path, its content
 * hash and which weights. Small and serializable; the model itself is loaded once per executor JVM and
 * device through {@link ModelRegistry}, never shipped.
 */
public record ModelSource(String checkpoint, String hash, boolean ema, SerializableConfiguration hadoop)
    implements Serializable {

  /** A loaded model with the manager it lives in (closed with it). */
  public record Handle(Module model, NDManager manager) implements AutoCloseable {
    @Override
    public void close() {
      manager.close();
    }
  }

  /** The source of {@code checkpoint}, hashed here (on the driver). */
  public static ModelSource of(Configuration hadoop, String checkpoint, boolean ema) throws IOException {
    return new ModelSource(checkpoint, CheckpointFiles.hash(hadoop, checkpoint), ema,
        new SerializableConfiguration(hadoop));
  }

  /** A local copy of the checkpoint (the folder itself on a local file system). */
  public java.nio.file.Path local() throws IOException {
    return CheckpointFiles.local(hadoop.value(), checkpoint, hash);
  }

  /** The model config the checkpoint holds. */
  public ModelConfig config() throws IOException {
    return Checkpoint.config(local());
  }

  /** The training step the checkpoint records (0 for pdm model init's). */
  public long step() throws IOException {
    return Checkpoint.step(local());
  }

  /** This JVM's copy of the model on {@code device}, loaded by the first task that asks. */
  public ModelRegistry.Entry<Handle> get(Device device) throws Exception {
    return ModelRegistry.get(ModelRegistry.Key.of(hash, device, ema ? "model-ema" : "model"), () -> {
      NDManager manager = NDManager.newBaseManager(device);
      try {
        Checkpoint.Loaded l = Checkpoint.loadModel(local(), manager, device, ema);
        return new Handle(l.model(), manager);
      } catch (Exception e) {
        manager.close();
        throw e;
      }
    });
  }
}
