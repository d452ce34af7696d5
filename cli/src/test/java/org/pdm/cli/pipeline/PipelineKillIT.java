package org.pdm.cli.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.cli.CapturedRun;
import org.pdm.cli.Main;

/**
 * A pipeline killed with SIGKILL in the middle of a stage (training the autoencoder): the next run
 * keeps every earlier output as it is, resumes the stage from its last checkpoint and goes on to the
 * end of the range; the lock the dead run left does not block it.
 */
class PipelineKillIT {
  @TempDir
  Path dir;

  @Test
  void aKilledPipelineResumesAtTheStageItDiedIn() throws Exception {
    Path work = dir.resolve("work");
    // The killed run aims at many steps; the rerun's smaller target only moves the end (a resume
    // keeps every other setting).
    Process child = start(dir.resolve("child.log"), TinyChain.args(List.of("pipeline", "--to", "encode",
        "work-dir=" + work, "progress.enabled=false", "spark.master=\"local[2]\""), "train.steps=100000"));
    Path checkpoint = work.resolve("autoencoder/checkpoint/checkpoint.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!Files.exists(checkpoint) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(child.isAlive(), () -> "the pipeline ended before training's first checkpoint: " + log());
    child.destroyForcibly(); // SIGKILL: no hook runs
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertTrue(Files.exists(work.resolve(".pipeline.lock")), "the dead run's lock is left behind");
    byte[] preprocessManifest = Files.readAllBytes(work.resolve("preprocess/_manifest.json"));
    byte[] ingestManifest = Files.readAllBytes(work.resolve("ingest/_manifest.json"));

    CapturedRun status = pdm(work, "status");
    assertTrue(status.out().matches("(?s).*preprocess +\\S+ +up to date.*"), status.out());
    assertTrue(status.out().matches("(?s).*train-autoencoder +\\S+ +stale: unfinished.*"), status.out());

    CapturedRun rerun = pdm(work, "pipeline", "--to", "encode");
    assertEquals(0, rerun.code(), rerun.out() + rerun.err());
    assertTrue(rerun.out().contains("skip preprocess") && rerun.out().contains("run  train-autoencoder"),
        rerun.out());
    assertTrue(rerun.err().contains("resuming"), "training resumed from its checkpoint: " + rerun.err());
    assertTrue(rerun.out().contains("latents: wrote"), rerun.out());
    assertArrayEquals(preprocessManifest, Files.readAllBytes(work.resolve("preprocess/_manifest.json")),
        "preprocess's output is untouched");
    assertArrayEquals(ingestManifest, Files.readAllBytes(work.resolve("ingest/_manifest.json")));
    assertTrue(pdm(work, "status").out().matches("(?s).*encode +\\S+ +up to date.*"));
  }

  private CapturedRun pdm(Path work, String... args) {
    return CapturedRun.inWork(work, TinyChain.args(List.of(args), "train.steps=12"));
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("child.log"));
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** {@code pdm args} in a JVM of its own, with this JVM's flags and class path. */
  private static Process start(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib:jdwp") && !a.startsWith("-javaagent")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
