package org.pdm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.cli.pipeline.PipelineSteps;
import org.pdm.core.config.PdmConfig;

class NotebookChainTest {
  @TempDir Path work;

  @Test
  void completeOnlyWhenEveryLastStageCommitted() throws IOException {
    List<String> last = List.of("latents", "flow", "samples", "eval-recon", "eval-ablation");
    for (String stage : last) {
      assertFalse(NotebookChain.complete(work), "complete before " + stage);
      Files.createDirectories(work.resolve(stage));
      Files.writeString(work.resolve(stage).resolve("_SUCCESS"), "");
    }
    assertTrue(NotebookChain.complete(work));
    Files.delete(work.resolve("samples/_SUCCESS")); // an interrupted rerun of one stage
    assertFalse(NotebookChain.complete(work));
  }

  @Test
  void theChainIsTheDemoWhoseStagesRunEveryStageInOrder() {
    assertEquals(List.of(List.of("demo", "synth.count=" + NotebookChain.IMAGES)),
        NotebookChain.commands(NotebookChain.IMAGES));
    PdmConfig demo = PdmConfig.load("demo", List.of(), new java.util.Properties());
    assertEquals(NotebookChain.IMAGES, demo.settings("synth").intIn("count", 1, 1_000_000),
        "the notebooks' default is the demo's own, so that bin/pdm demo's outputs are up to date for them");
    assertEquals(List.of("synth", "ingest", "preprocess", "train-autoencoder", "encode", "train-flow", "sample",
        "eval-recon", "eval-ablation", "eval-fid"), PipelineSteps.names(demo));
    assertThrows(IllegalArgumentException.class, () -> NotebookChain.commands(4));
  }

  @Test
  void refusesAFolderHoldingModelInitsAutoencoderUntouched() throws IOException {
    Path manifest = work.resolve("autoencoder/_manifest.json");
    Files.createDirectories(manifest.getParent());
    String text = "{\"stage\":\"autoencoder\",\"config\":{\"init\":{\"config\":\"autoencoder-tiny\",\"seed\":1}}}";
    Files.writeString(manifest, text);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> NotebookData.ensure(work, 24));
    assertTrue(e.getMessage().contains("model init") && e.getMessage().contains("workDir"), e.getMessage());
    assertEquals(text, Files.readString(manifest));
    assertEquals(List.of("autoencoder"), Files.list(work).map(p -> p.getFileName().toString()).toList());
  }
}
