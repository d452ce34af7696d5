package org.pdm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.model.train.Checkpoint;
import org.pdm.model.train.SafeTensors;
import picocli.CommandLine;

/**
 * pdm train autoencoder with the PatchGAN discriminator and the perceptual loss (model's stand-in
 * LPIPS): the adversarial terms come on at disc-start and reach metrics.jsonl, the discriminator's
 * state is in every checkpoint, and a run resumed across disc-start equals a straight run bit for bit.
 */
class AdversarialTrainTest {
  static final Path LPIPS = Path.of("../model/src/test/resources/lpips/lpips_standin.pt").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> FILES = List.of("weights", "ema", "optimizer", "discriminator", "discriminator-ema",
      "discriminator-optimizer");

  @TempDir
  Path dir;

  private String[] autoencoder(Path out, int steps, String... more) {
    String[] base = {"autoencoder", "--out", out.toString(), "--steps", Integer.toString(steps),
        "work-dir=" + dir.resolve("work"), "train.batch-size=4", "train.validation-fraction=0.2",
        "train.validate-every=3", "train.checkpoint-every=3", "train.sample-every=0", "train.log-every=1",
        "train.autoencoder.lr=1e-3", "train.autoencoder.disc-start=2", "train.autoencoder.lpips=" + LPIPS,
        "train.autoencoder.perceptual-weight=0.5"};
    return TrainEndToEndTest.concat(base, more);
  }

  @Test
  void resumedAcrossDiscStartEqualsAStraightRun() throws Exception {
    TrainFixtures.preprocess(dir.resolve("work"), 24, 1);
    Path straight = dir.resolve("straight");
    assertEquals(0, TrainEndToEndTest.train(autoencoder(straight, 6)));
    Path resumed = dir.resolve("resumed");
    assertEquals(0, TrainEndToEndTest.train(autoencoder(resumed, 3)));
    assertEquals(0, TrainEndToEndTest.train(TrainEndToEndTest.concat(autoencoder(resumed, 6), new String[] {"--resume"})));
    assertEquals(6, Checkpoint.step(resumed.resolve("checkpoint")));
    for (String f : FILES) {
      Map<String, SafeTensors.Tensor> a = SafeTensors.read(straight.resolve("checkpoint").resolve(f + ".safetensors"));
      Map<String, SafeTensors.Tensor> b = SafeTensors.read(resumed.resolve("checkpoint").resolve(f + ".safetensors"));
      assertEquals(a.keySet(), b.keySet(), f);
      for (String name : a.keySet()) {
        float[] x = a.get(name).data();
        float[] y = b.get(name).data();
        for (int i = 0; i < x.length; i++) {
          assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]),
              () -> f + " " + name + " differs from the straight run's");
        }
      }
    }
    // The discriminator trained (from disc-start on): its Adam took 4 steps of the autoencoder's 6.
    JsonNode meta = JSON.readTree(Files.readString(straight.resolve("checkpoint/checkpoint.json")));
    assertEquals(4, meta.path("companions").path("discriminator").path("adam_step").asLong(), meta.toString());
    assertEquals(0.5, meta.path("companions").path("discriminator").path("train").path("beta1").asDouble());
    assertEquals(0.9, meta.path("companions").path("discriminator").path("train").path("beta2").asDouble());

    List<JsonNode> lines = lines(straight.resolve("metrics.jsonl"));
    JsonNode first = lines.stream().filter(n -> n.path("step").asLong() == 1 && n.has("loss")).findFirst().orElseThrow();
    assertEquals(0.0, first.path("disc_factor").asDouble(), first.toString());
    assertTrue(!first.has("g_loss") && !first.has("disc_loss"), "no adversarial terms before disc-start: " + first);
    JsonNode later = lines.stream().filter(n -> n.path("step").asLong() == 6 && n.has("loss")).findFirst().orElseThrow();
    for (String k : List.of("recon", "perceptual", "nll", "kl", "g_loss", "d_weight", "disc_loss", "logits_real",
        "logits_fake")) {
      assertTrue(later.has(k) && Double.isFinite(later.get(k).asDouble()), k + " in " + later);
    }
    assertTrue(later.get("perceptual").asDouble() > 0 && later.get("d_weight").asDouble() > 0, later.toString());
    assertEquals(later.get("recon").asDouble() + later.get("perceptual").asDouble(), later.get("nll").asDouble(), 1e-9);
    assertEquals(lines.size(), lines(resumed.resolve("metrics.jsonl")).size(), "metrics.jsonl reads as one run");
  }

  @Test
  void aMissingLpipsFileStopsBeforeAnyWork() throws Exception {
    TrainFixtures.preprocess(dir.resolve("work"), 8, 1);
    Path out = dir.resolve("out");
    String err = TrainEndToEndTest.captured(new CommandLine(new TrainCommand()),
        autoencoder(out, 2, "train.autoencoder.lpips=" + dir.resolve("no-such.pt")));
    assertTrue(err.contains("pdm.train.autoencoder.lpips") && err.contains("is not a file"), err);
    assertTrue(!Files.exists(out.resolve("checkpoint")), "nothing written");
  }

  private static List<JsonNode> lines(Path metrics) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }
}
