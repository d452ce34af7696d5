package org.pdm.model;

import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.nn.Module;
import org.pdm.model.unet.PyramidUNet;

/** Builds the network a {@link ModelConfig} describes (parameters declared, not yet allocated). */
public final class Models {
  private Models() {}

  /** A {@link PyramidUNet} or a {@link PyramidAutoEncoder}; call {@code initialize} to allocate. */
  public static Module build(ModelConfig config) {
    if (config instanceof UNetConfig u) {
      return new PyramidUNet(u);
    }
    return new PyramidAutoEncoder((AutoEncoderConfig) config);
  }
}
