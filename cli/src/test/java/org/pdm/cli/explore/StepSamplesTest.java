package org.pdm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepSamplesTest {
  @TempDir Path run;

  private void grid(String name, int rgb) throws IOException {
    BufferedImage img = new BufferedImage(10, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 10; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    ImageIO.write(img, "png", run.resolve("samples").resolve(name).toFile());
  }

  @Test
  void listsGridsByStepNumberAndIgnoresOtherFiles() throws IOException {
    Files.createDirectories(run.resolve("samples"));
    grid("step-000000100.png", 0x0000ff);
    grid("step-25.png", 0xff0000); // unpadded: still ordered by its number
    grid("step-000000050.png", 0x00ff00);
    Files.writeString(run.resolve("samples/notes.txt"), "x");
    grid("grid.png", 0);
    List<StepSamples.Grid> grids = StepSamples.list(run);
    assertEquals(List.of(25L, 50L, 100L), grids.stream().map(StepSamples.Grid::step).toList());

    BufferedImage stacked = StepSamples.stack(grids, 2);
    // One column; rows of 4 * 2 px plus a caption, 4 px padding (ImageGrid's layout).
    assertEquals(3 * (8 + 14 + 4) + 4, stacked.getHeight());
    assertEquals(0xff0000, stacked.getRGB(5, 5) & 0xffffff); // step 25 on top
    assertEquals(0x0000ff, stacked.getRGB(5, 4 + 2 * (8 + 14 + 4) + 1) & 0xffffff); // step 100 last
  }

  @Test
  void spreadKeepsTheFirstAndTheLast() {
    List<StepSamples.Grid> grids = java.util.stream.LongStream.rangeClosed(1, 8)
        .mapToObj(s -> new StepSamples.Grid(s * 25, Path.of("step-" + s + ".png"))).toList();
    assertEquals(List.of(25L, 75L, 150L, 200L),
        StepSamples.spread(grids, 4).stream().map(StepSamples.Grid::step).toList());
    assertEquals(grids, StepSamples.spread(grids, 8));
    assertThrows(IllegalArgumentException.class, () -> StepSamples.spread(grids, 1));
  }

  @Test
  void aRunWithoutSamplesSaysWhichKeyMakesThem() {
    IOException e = assertThrows(IOException.class, () -> StepSamples.list(run));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("train.sample-every"), e.getMessage());
  }
}
