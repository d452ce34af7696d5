package org.pdm.model.config;

import com.typesafe.config.Config;
import java.util.List;
import org.pdm.model.blocks.TimeEmbedding;

/**
 * Configuration of a {@link org.pdm.model.unet.PyramidUNet}. The backbone runs at resolutions
 * R_i = R_0 / 2^i for i < {@code channelMult.size()}, R_0 being the largest latent; every latent level
 * sits on one of them. Keys (under {@code model}):
 * <pre>
 *   type = unet
 *   levels { sizes = [[32, 32], [16, 16]], channels = [4, 8] }   # largest first
 *   channels = 128                 # nf
 *   channel-mult = [1, 2, 2, 2]    # one per backbone resolution
 *   res-blocks = 2                 # or one per backbone resolution
 *   attention-resolutions = [16]   # heights where spatial-channel attention runs
 *   branch-blocks = 1              # ResBlocks per branch (0 with one level = plain NCSN++)
 *   dropout { lowest = 0.35, highest = 0.0 }
 *   spectral-norm = true, skip-rescale = true, time-embedding = positional | fourier
 * </pre>
 */
public record UNetConfig(
    Config source,
    List<LevelSpec> levels,
    int channels,
    List<Integer> channelMult,
    List<Integer> resBlocks,
    List<Integer> attentionResolutions,
    int branchBlocks,
    double dropoutLowest,
    double dropoutHighest,
    boolean spectralNorm,
    boolean skipRescale,
    TimeEmbedding.Kind timeEmbedding) implements ModelConfig {

  static UNetConfig read(Config c) {
    ConfigReader r = new ConfigReader(c, "model.");
    List<LevelSpec> levels = r.levels("levels.sizes", "levels.channels");
    List<Integer> mult = r.positiveInts("channel-mult");
    UNetConfig cfg = new UNetConfig(c, levels, r.positiveInt("channels"), mult,
        r.intOrList("res-blocks", mult.size(), "channel-mult"),
        r.positiveIntsOrEmpty("attention-resolutions"),
        r.has("branch-blocks") ? nonNegativeInt(r, c, "branch-blocks") : 1,
        r.fraction("dropout.lowest", 0.35), r.fraction("dropout.highest", 0.0),
        r.bool("spectral-norm", true), r.bool("skip-rescale", true),
        r.choice("time-embedding", TimeEmbedding.Kind.class, TimeEmbedding.Kind.POSITIONAL));
    r.allow("type");
    r.refuseUnknown();
    cfg.validate(r);
    return cfg;
  }

  static int nonNegativeInt(ConfigReader r, Config c, String key) {
    int v;
    try {
      v = c.getInt(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw r.error(key, "expected an integer >= 0");
    }
    if (v < 0) {
      throw r.error(key, "must be >= 0, got " + v);
    }
    return v;
  }

  private void validate(ConfigReader r) {
    LevelSpec top = levels.get(0);
    int n = channelMult.size();
    if (top.height() % (1 << (n - 1)) != 0 || top.width() % (1 << (n - 1)) != 0) {
      throw r.error("channel-mult", n + " resolutions halve the largest latent " + top
          + " to a non-integer size; use fewer entries or a larger latent");
    }
    int last = -1;
    for (int i = 0; i < levels.size(); i++) {
      int idx = resolutionIndex(levels.get(i));
      if (idx < 0) {
        throw r.error("levels.sizes", "level " + i + " (" + levels.get(i) + ") is not "
            + top.height() + "x" + top.width() + " halved 0.." + (n - 1)
            + " times; list levels from the largest, each on a backbone resolution");
      }
      if (idx <= last) {
        throw r.error("levels.sizes", "levels must be listed from the largest to the smallest, "
            + "one per resolution");
      }
      last = idx;
    }
  }

  /** Index i of the backbone resolution of {@code level} (R_0 / 2^i), or -1 if none. */
  public int resolutionIndex(LevelSpec level) {
    LevelSpec top = levels.get(0);
    for (int i = 0; i < channelMult.size(); i++) {
      if (top.height() >> i == level.height() && top.width() >> i == level.width()
          && (top.height() >> i) << i == top.height()) {
        return i;
      }
    }
    return -1;
  }

  /** Height of backbone resolution i. */
  public int heightAt(int i) {
    return levels.get(0).height() >> i;
  }

  /** Width of backbone resolution i. */
  public int widthAt(int i) {
    return levels.get(0).width() >> i;
  }

  /** Number of backbone resolutions. */
  public int numResolutions() {
    return channelMult.size();
  }
}
