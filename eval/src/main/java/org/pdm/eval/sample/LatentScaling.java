package org.pdm.eval.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.pdm.model.flow.LatentScaler;

/**
 * How a flow checkpoint's samples go back to the autoencoder's latent space: the flow was trained on
 * latents divided per level by its {@link LatentScaler} (saved in checkpoint.json as
 * {@code latent_scaler}), so samples are multiplied by the same divisors. A checkpoint without a
 * scaler ({@code pdm model init}'s) was trained on nothing: its divisors are 1.
 */
public final class LatentScaling {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LatentScaling() {}

  /** The divisor per level, largest level first. */
  public static double[] divisors(ModelSource flow, int levels) throws IOException {
    JsonNode meta = JSON.readTree(Files.readString(flow.local().resolve("checkpoint.json")));
    JsonNode s = meta.get("latent_scaler");
    if (s == null || s.isNull()) {
      double[] one = new double[levels];
      Arrays.fill(one, 1);
      return one;
    }
    double[] std = JSON.treeToValue(s.get("std"), double[].class);
    if (std.length != levels) {
      throw new IOException(flow.checkpoint() + ": its latent scaler has " + std.length + " levels, the flow "
          + levels);
    }
    return LatentScaler.restore(std, s.get("updates").asInt(), s.get("warmup").asInt(), s.get("decay").asDouble())
        .divisors();
  }
}
