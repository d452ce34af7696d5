package org.pdm.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.ModelConfigFiles;
import org.pdm.core.schema.LatentSchema;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.config.UNetConfig;

/**
 * The model config a run takes when none is given: the shipped one that fits the data. The
 * autoencoder's image size must be the dataset's; the UNet's levels must be the cache's (so the
 * demo's 32x32 data gets the tiny configs, lsun-256 data the 256 ones, and so on).
 */
public final class DefaultModels {
  static final List<String> AUTOENCODERS = List.of("autoencoder-tiny", "autoencoder-256", "autoencoder-1024",
      "autoencoder-scapes2k", "autoencoder-people2k");
  static final List<String> UNETS = List.of("unet-tiny", "unet-256", "unet-1024", "unet-scapes2k", "unet-people2k");

  private DefaultModels() {}

  /** A config given by name or file, or (empty) null. */
  public static ModelConfig given(String nameOrFile) throws IOException {
    if (nameOrFile.isEmpty()) {
      return null;
    }
    try {
      return ModelConfigs.load(ModelConfigFiles.resolve(nameOrFile));
    } catch (IllegalArgumentException e) {
      throw new ConfigError("--config " + nameOrFile + ": " + e.getMessage());
    }
  }

  /** The shipped autoencoder for {@code width x height} images. */
  public static AutoEncoderConfig autoencoderFor(int width, int height) throws IOException {
    for (String name : AUTOENCODERS) {
      if (given(name) instanceof AutoEncoderConfig ae && ae.imageWidth() == width && ae.imageHeight() == height) {
        return ae;
      }
    }
    throw new ConfigError("the dataset's images are " + width + "x" + height + " and no shipped autoencoder config "
        + "(" + String.join(", ", AUTOENCODERS) + ") takes that size: give --config FILE (a model config whose "
        + "image size is " + width + "x" + height + ")");
  }

  /** The shipped UNet whose levels are the cache's. */
  public static UNetConfig unetFor(List<LatentSchema.Level> levels) throws IOException {
    for (String name : UNETS) {
      if (given(name) instanceof UNetConfig u && matches(u.levels(), levels)) {
        return u;
      }
    }
    throw new ConfigError("the latent cache's levels are " + text(levels) + " and no shipped UNet config ("
        + String.join(", ", UNETS) + ") has them: give --config FILE (a UNet config with these levels)");
  }

  /** Whether model levels and cache levels have the same shapes in the same order. */
  public static boolean matches(List<LevelSpec> model, List<LatentSchema.Level> cache) {
    if (model.size() != cache.size()) {
      return false;
    }
    for (int i = 0; i < model.size(); i++) {
      LevelSpec m = model.get(i);
      LatentSchema.Level c = cache.get(i);
      if (m.channels() != c.channels() || m.height() != c.height() || m.width() != c.width()) {
        return false;
      }
    }
    return true;
  }

  static String text(List<LatentSchema.Level> levels) {
    List<String> out = new ArrayList<>();
    for (LatentSchema.Level l : levels) {
      out.add(l.height() + "x" + l.width() + "x" + l.channels());
    }
    return String.join(" + ", out);
  }
}
