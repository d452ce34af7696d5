package org.pdm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageSpec;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.train.Checkpoint;
import org.pdm.train.loop.NonFiniteLossException;

/** What must stop a run, and what a run must never touch. */
class TrainSafetyTest {
  @TempDir
  Path dir;

  private PdmConfig config(String... overrides) {
    List<String> all = new ArrayList<>(List.of("work-dir=" + dir.resolve("work"), "train.batch-size=4",
        "train.validate-every=0", "train.sample-every=0", "train.log-every=1", "train.flow.latents="
            + dir.resolve("latents")));
    all.addAll(List.of(overrides));
    return PdmConfig.load(null, all, new Properties());
  }

  @Test
  void aNanInTheDataStopsTheRunNamingStepIdsAndLastCheckpoint() throws Exception {
    List<String> ids = new ArrayList<>();
    List<float[][]> rows = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      ids.add(String.format("row-%02d", i));
      float[][] z = {new float[4 * 8 * 8], new float[8 * 4 * 4]};
      for (float[] level : z) {
        for (int k = 0; k < level.length; k++) {
          level[k] = (float) Math.sin(k + i);
        }
      }
      if (i == 9) {
        z[0][5] = Float.NaN;
      }
      rows.add(z);
    }
    TrainFixtures.latents(dir.resolve("latents"), ids, rows);
    Path out = dir.resolve("flow");
    NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> TrainRun.run(config(
        "train.steps=8", "train.checkpoint-every=1", "train.validation-fraction=0", "train.flow.out=" + out),
        "flow", false, false, System.err));
    assertTrue(e.ids().contains("row-09"), e.getMessage());
    assertTrue(e.getMessage().contains("at step " + e.step()), e.getMessage());
    if (e.step() > 1) {
      assertTrue(e.getMessage().contains(out.resolve("checkpoint") + " (step " + (e.step() - 1) + ")"), e.getMessage());
      assertEquals(e.step() - 1, Checkpoint.step(out.resolve("checkpoint")), "no checkpoint after the bad step");
    }
  }

  @Test
  void refusesAFolderItDidNotWrite() throws Exception {
    TrainFixtures.latents(dir.resolve("latents"), 8, 1);
    Path foreign = dir.resolve("mine");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve("notes.txt"), "keep me");
    StagePathException e = assertThrows(StagePathException.class, () -> TrainRun.run(config("train.steps=1",
        "train.flow.out=" + foreign), "flow", false, false, System.err));
    assertTrue(e.getMessage().contains("did not write"), e.getMessage());
    assertEquals("keep me", Files.readString(foreign.resolve("notes.txt")));
    try (var files = Files.list(foreign)) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void leavesModelInitsCheckpointUnlessForced() throws Exception {
    TrainFixtures.latents(dir.resolve("latents"), 8, 1);
    Path init = dir.resolve("work/flow");
    StageOutput.at(new Configuration(), init.toString()).run(new StageSpec("flow", "{\"init\": \"fresh weights\"}",
        List.of()), false, ctx -> Checkpoint.initialize(Path.of(new org.apache.hadoop.fs.Path(ctx.path("checkpoint"))
            .toUri()), ModelConfigs.parse("model { type = unet, levels { sizes = [[8, 8], [4, 4]], channels = [4, 8] }"
            + ", channels = 8, channel-mult = [1, 2], res-blocks = 1, attention-resolutions = [] }"), 1));
    byte[] before = Files.readAllBytes(init.resolve("checkpoint/weights.safetensors"));
    StagePathException e = assertThrows(StagePathException.class, () -> TrainRun.run(config("train.steps=1"), "flow",
        false, false, System.err));
    assertTrue(e.getMessage().contains("model init"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(init.resolve("checkpoint/weights.safetensors"))));
    TrainRun.run(config("train.steps=1", "train.validation-fraction=0"), "flow", false, true, System.err);
    assertEquals(1, Checkpoint.step(init.resolve("checkpoint")));
  }

  @Test
  void cosineScheduleReachesZeroAtTheStepTarget() {
    var c = ObjectiveSettings.from(config("train.flow.schedule=cosine", "train.flow.warmup=10"), "flow")
        .trainConfig(0, 100);
    assertEquals(2e-4, c.lrAt(9), 1e-12); // warmup done
    assertTrue(c.lrAt(55) < 1.1e-4 && c.lrAt(55) > 0.9e-4, "half way: " + c.lrAt(55));
    assertTrue(c.lrAt(99) < 1e-6, "at the end: " + c.lrAt(99));
    assertThrows(ConfigError.class, () -> ObjectiveSettings.from(config("train.flow.schedule=cosine",
        "train.flow.warmup=10"), "flow").trainConfig(0, 10));
  }

  @Test
  void badValuesStopBeforeAnyWork() {
    ConfigError e = assertThrows(ConfigError.class, () -> TrainSettings.from(config("train.keep-last=0")));
    assertTrue(e.getMessage().contains("pdm.train.keep-last"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> ObjectiveSettings.from(config("train.autoencoder.recon-loss=l3"),
        "autoencoder"));
    assertTrue(e.getMessage().contains("l1, l2"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> TrainSettings.from(config("train.data.threads=0")));
    assertTrue(e.getMessage().contains("pdm.train.data.threads"), e.getMessage());
  }
}
