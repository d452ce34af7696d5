package org.pdm.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;

/** The benchmark's plumbing on small pictures, without Python (the comparison itself is a manual run). */
class PreprocessBenchTest {
  @TempDir
  Path dir;

  private static PreprocessConfig config() {
    return PreprocessConfig.from(PdmConfig.defaults().with("preprocess.preset=custom",
        "preprocess.custom.size=\"96x48\"", "preprocess.custom.min-size=\"96x48\"",
        "preprocess.custom.orientation=landscape", "preprocess.filters.min-sharpness=0",
        "preprocess.filters.min-chroma=0", "preprocess.filters.min-luma-std=0", "preprocess.filters.max-border=0"));
  }

  @Test
  void measuresAFolderLeavingOutWhatThePresetRejects() throws Exception {
    Files.write(dir.resolve("a.jpg"), TestImages.jpeg(TestImages.photoLike(300, 170, 1), 0.9f, false));
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/b.png"), TestImages.write(TestImages.photoLike(200, 120, 2), "png"));
    Files.write(dir.resolve("portrait.png"), TestImages.write(TestImages.photoLike(100, 200, 3), "png"));
    List<Path> files = PreprocessBench.folder(dir);
    assertEquals(3, files.size());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PreprocessBench.Result r = PreprocessBench.run(config(), files, false, 1, new PrintStream(log, true));
    assertEquals(2, r.images(), log.toString());
    assertTrue(log.toString().contains("left out portrait.png: wrong-orientation"), log.toString());
    PreprocessBench.Rate java = r.get("java");
    assertNotNull(java);
    assertTrue(java.imagesPerSecond() > 0 && java.bytesPerImage() > 100, java.toString());
    assertTrue(java.note().contains("decode") && java.note().contains("encode"), java.note());
    assertNull(r.get("opencv"), "not asked");
  }

  @Test
  void comparesOutputFormatsOnTheSamePictures() throws Exception {
    Files.write(dir.resolve("a.jpg"), TestImages.jpeg(TestImages.photoLike(300, 170, 1), 0.9f, false));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    var costs = PreprocessBench.formats(config(), PreprocessBench.folder(dir), 4, 1, new PrintStream(log, true));
    assertEquals(List.of("png-1", "png-6", "jpeg-95", "raw+zstd-3"), costs.stream().map(PreprocessBench.FormatCost::format).toList());
    for (var c : costs) {
      assertTrue(c.bytesPerImage() > 0 && c.readRowsPerSecond() > 0 && c.writeMs() >= 0, c.toString());
    }
  }
}
