package org.pdm.core.synth;

import java.io.Serializable;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;

/** The validated settings of {@code pdm synth} (section {@code pdm.synth}). */
public record SynthConfig(
    String kind,
    int count,
    long seed,
    int minWidth,
    int minHeight,
    double offSpecFraction,
    double pngFraction,
    float jpegQuality,
    String urlStyle,
    int partitions) implements Serializable {

  public static SynthConfig from(PdmConfig config) {
    Settings s = config.settings("synth");
    String kind = s.oneOf("kind", "scapes", "people");
    String size = s.string("min-size").trim();
    int[] wh = size.isEmpty()
        ? (kind.equals("scapes") ? new int[] {2048, 1024} : new int[] {2048, 2048})
        : s.size("min-size", 16, 16384);
    return new SynthConfig(kind, s.intIn("count", 1, 1_000_000), s.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE),
        wh[0], wh[1], s.doubleIn("off-spec-fraction", 0, 1), s.doubleIn("png-fraction", 0, 1),
        (float) s.doubleIn("jpeg-quality", 0.1, 1.0), s.oneOf("url-style", "relative", "file"),
        s.intIn("partitions", 0, 100_000));
  }
}
