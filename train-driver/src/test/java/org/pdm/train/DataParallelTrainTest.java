package org.pdm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.model.train.SafeTensors;
import picocli.CommandLine;

/**
 * train.devices through the driver: two CPU replicas train to the weights of one device on the same
 * global batches (to float tolerance; dropout off, as its masks are drawn per replica), for the flow
 * and for the autoencoder; impossible device lists stop before any work.
 *
 * <p>The tolerance: the first step's loss and gradient norm are computed on the same weights and
 * must agree to 1e-5 relative (a replica whose gradients were not gathered gives another norm).
 * The weights go through Adam, whose update g / (sqrt(v) + 1e-8) is nearly sign(g) early on and
 * turns the rounding differences of a gradient summed in two halves into up to a few percent of
 * lr for elements whose gradient is near 0 (measured: 1.2e-5 at lr 1e-3 after 3 steps); a
 * replica's gradient missing would move most elements by about 2 lr. So every weight must agree to
 * 5 % of lr per step.
 */
class DataParallelTrainTest {
  @TempDir
  Path dir;

  /** A shipped config with dropout off, as a config file. */
  private Path noDropout(String name) throws Exception {
    Path f = dir.resolve(name + "-no-dropout.conf");
    Files.writeString(f, Files.readString(Path.of("../conf/model").resolve(name + ".conf"))
        + "\nmodel.dropout { lowest = 0, highest = 0 }\n");
    return f;
  }

  private static final String[] COMMON = {"--steps", "3", "train.batch-size=4", "train.validation-fraction=0.2",
      "train.validate-every=3", "train.checkpoint-every=3", "train.sample-every=0", "train.log-every=1"};

  @Test
  void twoCpuReplicasTrainTheFlowAsOneDevice() throws Exception {
    TrainFixtures.latents(dir.resolve("latents"), 24, 5);
    Path config = noDropout("unet-tiny");
    String[] flow = {"flow", "--latents", dir.resolve("latents").toString(), "--config", config.toString(),
        "work-dir=" + dir.resolve("work"), "train.flow.lr=1e-3", "train.flow.scale-warmup=2"};
    Path one = dir.resolve("one");
    Path two = dir.resolve("two");
    assertEquals(0, TrainEndToEndTest.train(all(flow, "--out", one.toString())));
    assertEquals(0, TrainEndToEndTest.train(all(flow, "--out", two.toString(), "train.devices=[cpu, cpu]")));
    assertClose(one, two, 1e-3);
  }

  @Test
  void twoCpuReplicasTrainTheAutoencoderAsOneDevice() throws Exception {
    TrainFixtures.preprocess(dir.resolve("work"), 24, 1);
    Path config = noDropout("autoencoder-tiny");
    String[] ae = {"autoencoder", "--config", config.toString(), "work-dir=" + dir.resolve("work"),
        "train.autoencoder.lr=1e-3", "train.autoencoder.lpips=" + AdversarialTrainTest.LPIPS};
    Path one = dir.resolve("one");
    Path two = dir.resolve("two");
    assertEquals(0, TrainEndToEndTest.train(all(ae, "--out", one.toString(), "train.autoencoder.disc-weight=0")));
    assertEquals(0, TrainEndToEndTest.train(all(ae, "--out", two.toString(), "train.autoencoder.disc-weight=0",
        "train.devices=[cpu, cpu]")));
    assertClose(one, two, 1e-3);
    assertTrue(TrainEndToEndTest.values(two.resolve("metrics.jsonl"), "perceptual").get(0) > 0);
  }

  @Test
  void impossibleDeviceListsStopBeforeAnyWork() throws Exception {
    TrainFixtures.latents(dir.resolve("latents"), 8, 5);
    String[] flow = {"flow", "--latents", dir.resolve("latents").toString(), "--out", dir.resolve("o").toString(),
        "work-dir=" + dir.resolve("work")};
    String err = TrainEndToEndTest.captured(new CommandLine(new TrainCommand()),
        all(flow, "train.batch-size=2", "train.devices=[cpu, cpu, cpu]"));
    assertTrue(err.contains("pdm.train.devices") && err.contains("batch size to at least 3"), err);
    err = TrainEndToEndTest.captured(new CommandLine(new TrainCommand()), all(flow, "train.devices=[tpu0]"));
    assertTrue(err.contains("\"tpu0\" is not a device"), err);
    TrainFixtures.preprocess(dir.resolve("work"), 8, 1);
    err = TrainEndToEndTest.captured(new CommandLine(new TrainCommand()), new String[] {"autoencoder", "--out",
        dir.resolve("a").toString(), "--steps", "10", "work-dir=" + dir.resolve("work"),
        "train.autoencoder.disc-start=5", "train.devices=[cpu, cpu]"});
    assertTrue(err.contains("disc-start (5) comes within this run's 10 steps"), err);
    assertTrue(!Files.exists(dir.resolve("o/checkpoint")) && !Files.exists(dir.resolve("a/checkpoint")));
  }

  private static String[] all(String[] a, String... more) {
    return TrainEndToEndTest.concat(TrainEndToEndTest.concat(a, COMMON), more);
  }

  /** The two runs' first-step loss and gradient norm, and every weight of their final checkpoints (see above). */
  private static void assertClose(Path a, Path b, double lr) throws Exception {
    for (String key : List.of("loss", "grad_norm")) {
      double x = TrainEndToEndTest.values(a.resolve("metrics.jsonl"), key).get(0);
      double y = TrainEndToEndTest.values(b.resolve("metrics.jsonl"), key).get(0);
      assertEquals(x, y, 1e-5 * Math.abs(x), "step 1 " + key);
    }
    Map<String, SafeTensors.Tensor> x = SafeTensors.read(a.resolve("checkpoint/weights.safetensors"));
    Map<String, SafeTensors.Tensor> y = SafeTensors.read(b.resolve("checkpoint/weights.safetensors"));
    assertEquals(x.keySet(), y.keySet());
    int steps = 3;
    double worst = 0;
    for (String k : x.keySet()) {
      float[] p = x.get(k).data();
      float[] q = y.get(k).data();
      for (int i = 0; i < p.length; i++) {
        assertEquals(p[i], q[i], 0.05 * lr * steps, k + "[" + i + "]");
        worst = Math.max(worst, Math.abs(p[i] - q[i]));
      }
    }
    System.out.println("data parallel vs one device: largest weight difference " + worst + " (lr " + lr + ")");
  }
}
