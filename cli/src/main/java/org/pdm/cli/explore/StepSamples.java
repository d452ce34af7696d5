package org.pdm.cli.explore;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A training run's sample grids over the steps, {@code samples/step-N.png} (docs/train.md: the
 * autoencoder's held-out images over their reconstructions, the flow's samples from fixed noise), in
 * step order, stacked into one picture so that the rows compare step by step.
 */
public final class StepSamples {
  private StepSamples() {}

  private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.png");

  /** One grid file and the step it was drawn at. */
  public record Grid(long step, Path file) {}

  /** The grids in {@code runDir}/samples by step (numerically: the names' zero padding is not relied on). */
  public static List<Grid> list(Path runDir) throws IOException {
    Path dir = runDir.resolve("samples");
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " does not exist: pdm train writes sample grids there every "
          + "train.sample-every steps (0 turns them off)");
    }
    List<Grid> grids = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (m.matches()) {
          grids.add(new Grid(Long.parseLong(m.group(1)), f));
        }
      }
    }
    grids.sort(Comparator.comparingLong(Grid::step));
    return grids;
  }

  /** At most {@code max} grids spread evenly over the run, always the first and the last. */
  public static List<Grid> spread(List<Grid> grids, int max) {
    if (max < 2) {
      throw new IllegalArgumentException("max = " + max + ": keep at least the first and the last grid");
    }
    if (grids.size() <= max) {
      return List.copyOf(grids);
    }
    List<Grid> out = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      out.add(grids.get((int) Math.round(i * (grids.size() - 1) / (double) (max - 1))));
    }
    return out;
  }

  /** The grids one under the other, each captioned with its step, scaled by {@code scale}. */
  public static BufferedImage stack(List<Grid> grids, int scale) throws IOException {
    List<BufferedImage> tiles = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (Grid g : grids) {
      BufferedImage img = ImageIO.read(g.file().toFile());
      if (img == null) {
        throw new IOException(g.file() + " is not a picture ImageIO can read");
      }
      tiles.add(img);
      captions.add("step " + g.step());
    }
    return ImageGrid.grid(tiles, captions, 1, scale);
  }
}
