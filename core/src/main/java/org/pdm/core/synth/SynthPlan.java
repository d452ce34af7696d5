package org.pdm.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Decides, from the seed alone, the id, size, format and kind of every image, so that generation can
 * be spread over executors and still give the same set for the same seed.
 *
 * <p>In-spec images are spread from the minimum size to about 2.5 times it (the 2K-and-above range
 * the presets select from). Off-spec ones are below the minimum on one side, or, for scapes,
 * portrait-oriented.
 */
public final class SynthPlan {
  private static final String ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";

  private SynthPlan() {}

  public static List<SynthItem> of(SynthConfig c) {
    SplittableRandom rng = new SplittableRandom(c.seed());
    List<SynthItem> items = new ArrayList<>(c.count());
    int offSpecCount = (int) Math.round(c.count() * c.offSpecFraction());
    for (int i = 0; i < c.count(); i++) {
      SplittableRandom r = rng.split();
      // Spread off-spec images evenly through the list rather than all at the end.
      boolean offSpec = offSpecCount > 0 && (i * offSpecCount) / c.count() != ((i + 1) * offSpecCount) / c.count();
      int[] size;
      String reason = "";
      if (!offSpec) {
        size = inSpec(c, r);
      } else if (c.kind().equals("scapes") && r.nextBoolean()) {
        size = inSpec(c, r);
        size = new int[] {size[1], size[0]};
        reason = "portrait";
      } else {
        size = inSpec(c, r);
        double shrink = 0.5 + 0.45 * r.nextDouble();
        size = new int[] {Math.max(8, (int) (size[0] * shrink)), Math.max(8, (int) (size[1] * shrink))};
        if (size[0] >= c.minWidth() && size[1] >= c.minHeight()) {
          size[0] = c.minWidth() - 1 - r.nextInt(Math.max(1, c.minWidth() / 8));
        }
        reason = "too-small";
      }
      String format = r.nextDouble() < c.pngFraction() ? "png" : "jpeg";
      items.add(new SynthItem(i, id(r), c.kind(), size[0], size[1], format, r.nextLong(), reason));
    }
    return items;
  }

  private static int[] inSpec(SynthConfig c, SplittableRandom r) {
    double scale = 1.0 + 1.5 * r.nextDouble();
    if (c.kind().equals("scapes")) {
      double aspect = 1.5 + 0.8 * r.nextDouble(); // 3:2 to about 2.3:1
      int w = Math.max(c.minWidth(), (int) (c.minWidth() * scale));
      int h = Math.max(c.minHeight(), (int) (w / aspect));
      return new int[] {Math.max(w, h + 1), h};
    }
    // People: mostly portrait (3:4, 2:3), some square or landscape; both sides at least the minimum.
    double[] aspects = {0.75, 0.667, 1.0, 0.8, 1.333};
    double aspect = aspects[r.nextInt(aspects.length)];
    int shortSide = Math.max(Math.min(c.minWidth(), c.minHeight()), (int) (Math.min(c.minWidth(), c.minHeight()) * scale));
    return aspect <= 1 ? new int[] {shortSide, (int) Math.ceil(shortSide / aspect)}
        : new int[] {(int) Math.ceil(shortSide * aspect), shortSide};
  }

  /** An 11-character id like Unsplash's. */
  private static String id(SplittableRandom r) {
    StringBuilder s = new StringBuilder(11);
    for (int i = 0; i < 11; i++) {
      s.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
    }
    return s.toString();
  }
}
