package org.pdm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.model.train.Checkpoint;
import org.pdm.model.train.SafeTensors;
import org.pdm.train.data.StreamPosition;
import org.pdm.train.output.CheckpointStore;

/**
 * Training JVMs stopped the hard way: kill -9 after the first checkpoint, then --resume, must end
 * with the very weights, EMA and optimizer state of an uninterrupted run; a SIGTERM must leave a
 * checkpoint of the step reached.
 */
class TrainInterruptionTest {
  @TempDir
  Path dir;

  private String[] flow(Path out, int steps, String... more) {
    String[] base = {"flow", "--latents", dir.resolve("latents").toString(), "--out", out.toString(),
        "--steps", Integer.toString(steps), "work-dir=" + dir.resolve("work"), "train.batch-size=4",
        "train.validation-fraction=0.2", "train.validate-every=2", "train.sample-every=4", "train.log-every=1",
        "train.flow.sample-steps=2", "train.flow.scale-warmup=3", "train.keep-last=10"};
    return TrainEndToEndTest.concat(base, more);
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (java.io.IOException e) {
      return "(no " + name + ": " + e + ")";
    }
  }

  @Test
  void resumeAfterKill9EqualsAStraightRun() throws Exception {
    TrainFixtures.latents(dir.resolve("latents"), 24, 5);
    Path straight = dir.resolve("straight");
    assertEquals(0, TrainEndToEndTest.train(flow(straight, 8, "train.checkpoint-every=3")));

    Path killed = dir.resolve("killed");
    Process child = ChildJvm.start(dir.resolve("killed.log"), flow(killed, 8, "train.checkpoint-every=3"));
    Path first = killed.resolve("checkpoint/checkpoint.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(first) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(child.isAlive(), () -> "the child ended before its first checkpoint: " + log("killed.log"));
    child.destroyForcibly(); // SIGKILL: no hook, no final checkpoint
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    long at = Checkpoint.step(killed.resolve("checkpoint"));
    assertTrue(at >= 3 && at < 8, "killed at step " + at);
    StreamPosition p = CheckpointStore.position(killed.resolve("checkpoint"), 0);
    assertTrue(p.epoch() > 0 || p.batches() == at, "the stream position is stored: " + p);

    // Without --resume the run is refused, untouched; with it, it goes on to step 8.
    assertNotEquals(0, TrainEndToEndTest.train(flow(killed, 8, "train.checkpoint-every=3")));
    Process resumed = ChildJvm.start(dir.resolve("resumed.log"), TrainEndToEndTest.concat(
        flow(killed, 8, "train.checkpoint-every=3"), new String[] {"--resume"}));
    boolean ended = resumed.waitFor(180, TimeUnit.SECONDS);
    resumed.destroyForcibly();
    assertTrue(ended, () -> log("resumed.log"));
    assertEquals(0, resumed.exitValue(), () -> log("resumed.log"));
    assertEquals(8, Checkpoint.step(killed.resolve("checkpoint")));
    for (String f : new String[] {"weights.safetensors", "ema.safetensors", "optimizer.safetensors"}) {
      // Tensor by tensor, bit for bit (the header's metadata order may differ between JVMs).
      Map<String, SafeTensors.Tensor> a = SafeTensors.read(straight.resolve("checkpoint").resolve(f));
      Map<String, SafeTensors.Tensor> b = SafeTensors.read(killed.resolve("checkpoint").resolve(f));
      assertEquals(a.keySet(), b.keySet(), f);
      for (String name : a.keySet()) {
        assertEquals(a.get(name).shape(), b.get(name).shape(), f + " " + name);
        float[] x = a.get(name).data();
        float[] y = b.get(name).data();
        for (int i = 0; i < x.length; i++) {
          assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]),
              () -> f + " " + name + " differs from the straight run's");
        }
      }
    }
    assertEquals(Files.readAllLines(straight.resolve("metrics.jsonl")).size(),
        Files.readAllLines(killed.resolve("metrics.jsonl")).size(), "metrics.jsonl reads as one run");
  }

  @Test
  void sigtermWritesACheckpointAtTheStepReached() throws Exception {
    TrainFixtures.latents(dir.resolve("latents"), 24, 5);
    Path out = dir.resolve("flow");
    Process child = ChildJvm.start(dir.resolve("term.log"), flow(out, 100000, "train.checkpoint-every=100000"));
    try {
      stopWithSigterm(child, out);
    } finally {
      child.destroyForcibly();
    }
  }

  private void stopWithSigterm(Process child, Path out) throws Exception {
    Path metrics = out.resolve("metrics.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while ((!Files.exists(metrics) || Files.readAllLines(metrics).size() < 2) && child.isAlive()
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(child.isAlive(), () -> log("term.log"));
    child.destroy(); // SIGTERM
    assertTrue(child.waitFor(120, TimeUnit.SECONDS));
    assertNotEquals(0, child.exitValue());
    long step = Checkpoint.step(out.resolve("checkpoint"));
    assertTrue(step >= 1 && step < 100000, "checkpoint at step " + step);
    assertTrue(log("term.log").contains("stopped by a signal at step " + step), () -> log("term.log"));
  }
}
