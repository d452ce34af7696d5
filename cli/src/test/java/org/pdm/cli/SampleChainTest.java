package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pdm model init twice, then pdm sample with no path: the work folder chains them. */
class SampleChainTest {
  @TempDir
  Path dir;

  private CapturedRun pdm(String... args) {
    return CapturedRun.inWork(dir.resolve("work"), args);
  }

  @Test
  void modelInitThenSampleWithDefaultPaths() throws Exception {
    Path work = dir.resolve("work");
    CapturedRun none = pdm("sample", "--count", "2");
    assertEquals(2, none.code(), none.err());
    assertTrue(none.err().contains("pdm model init --config unet-tiny"), none.err());

    assertEquals(0, pdm("model", "init", "--config", "unet-tiny", "--seed", "1").code());
    assertEquals(0, pdm("model", "init", "--config", "autoencoder-tiny", "--seed", "2").code());
    CapturedRun sample = pdm("sample", "--count", "3", "--sampler", "euler:2", "--batch-size", "2", "--seed", "4");
    assertEquals(0, sample.code(), sample.out() + "\n" + sample.err());
    assertTrue(sample.out().contains("samples: wrote " + work.resolve("samples")), sample.out());
    assertTrue(sample.out().matches("(?s).*\\n  samples +3\\n.*"), sample.out());
    assertTrue(sample.out().matches("(?s).*\\n  nfe.max +2\\n.*"), sample.out());
    assertTrue(Files.isRegularFile(work.resolve("samples/stats.json")));
    assertTrue(Files.isRegularFile(work.resolve("samples/grid.png")));
    assertTrue(pdm("sample", "--count", "3", "--sampler", "euler:2", "--batch-size", "2", "--seed", "4").out()
        .contains("is up to date"));

    CapturedRun bad = pdm("sample", "--sampler", "heun");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("pdm.sample.sampler = 'heun'"), bad.err());
  }
}
