package org.pdm.model.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

/** A validated model configuration: a {@link UNetConfig} or an {@link AutoEncoderConfig}. */
public sealed interface ModelConfig permits UNetConfig, AutoEncoderConfig {
  /** The {@code model} block it was read from. */
  Config source();

  /** HOCON text that {@link ModelConfigs#parse} reads back to an equal config. */
  default String render() {
    return "model = " + source().root().render(ConfigRenderOptions.concise().setFormatted(true))
        + "\n";
  }
}
