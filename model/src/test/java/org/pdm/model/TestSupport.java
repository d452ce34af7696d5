package org.pdm.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.ModelConfigs;

/** Shared helpers of the model tests. */
public final class TestSupport {
  private TestSupport() {}

  /** A CPU manager of the PyTorch engine. */
  public static NDManager cpuManager() {
    return NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }

  /** The repository's conf/model directory (tests run in model/). */
  public static Path confDir() {
    Path p = Path.of("..", "conf", "model");
    if (!Files.isDirectory(p)) {
      p = Path.of("conf", "model");
    }
    return p;
  }

  /** A config from conf/model by file name. */
  public static ModelConfig conf(String name) {
    return ModelConfigs.load(confDir().resolve(name));
  }
}
