package org.pdm.eval.recon;

import java.util.ArrayList;
import java.util.List;
import org.pdm.model.config.LevelSpec;

/**
 * One decoding of the paper's Fig. 7 control experiment: which latent levels reach the decoder.
 * For L levels: all of them (the plain reconstruction), each level alone ("only"), and all but each
 * level ("without").
 *
 * @param name column label, such as {@code only 8x8x4}
 * @param keep per level, largest first, whether the level is kept
 */
public record AblationVariant(String name, boolean[] keep) {
  /** The 1 + 2L variants for {@code levels} (largest first); with one level only the reconstruction. */
  public static List<AblationVariant> all(List<LevelSpec> levels) {
    int n = levels.size();
    List<AblationVariant> out = new ArrayList<>();
    out.add(new AblationVariant("all levels", mask(n, -1, true)));
    if (n > 1) {
      for (int i = 0; i < n; i++) {
        out.add(new AblationVariant("only " + label(levels.get(i)), mask(n, i, false)));
      }
      for (int i = 0; i < n; i++) {
        out.add(new AblationVariant("without " + label(levels.get(i)), mask(n, i, true)));
      }
    }
    return out;
  }

  /** {@code HxWxC}, as the paper names latents. */
  public static String label(LevelSpec l) {
    return l.height() + "x" + l.width() + "x" + l.channels();
  }

  /** Every level set to {@code rest}, level {@code i} (if any) to the opposite. */
  private static boolean[] mask(int n, int i, boolean rest) {
    boolean[] keep = new boolean[n];
    for (int k = 0; k < n; k++) {
      keep[k] = k == i ? !rest : rest;
    }
    return keep;
  }
}
