package org.pdm.model.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads model configs: a HOCON file or text with a {@code model} block whose {@code type} picks. */
public final class ModelConfigs {
  private ModelConfigs() {}

  /** Reads and validates the {@code model} block of {@code file}. */
  public static ModelConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("model config " + file + " does not exist");
    }
    try {
      return fromConfig(ConfigFactory.parseFile(file.toFile()).resolve());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("model config " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads and validates HOCON text with a {@code model} block. */
  public static ModelConfig parse(String hocon) {
    return fromConfig(ConfigFactory.parseString(hocon).resolve());
  }

  /** Validates the {@code model} block of an already parsed config. */
  public static ModelConfig fromConfig(Config root) {
    if (!root.hasPath("model")) {
      throw new IllegalArgumentException("model: missing (a model config has a model { ... } block)");
    }
    Config c = root.getConfig("model");
    String type = c.hasPath("type") ? c.getString("type") : "";
    return switch (type) {
      case "unet" -> UNetConfig.read(c);
      case "autoencoder" -> AutoEncoderConfig.read(c);
      default -> throw new IllegalArgumentException(
          "model.type: must be \"unet\" or \"autoencoder\", got \"" + type + "\"");
    };
  }
}
