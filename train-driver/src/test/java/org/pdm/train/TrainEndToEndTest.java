package org.pdm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.train.Checkpoint;
import org.pdm.train.data.Batch;
import org.pdm.train.data.ParquetBatchStream;
import org.pdm.train.data.StreamPosition;
import org.pdm.train.data.TrainData;
import org.pdm.train.data.TrainDataConfig;
import picocli.CommandLine;

/**
 * The chain with no path given: a preprocess output in the work folder -> pdm train autoencoder ->
 * latents made by the trained autoencoder (as pdm encode makes them) -> pdm train flow. Asserts what
 * training must do, not only that it ran: validation PSNR rises, the flow loss falls.
 */
class TrainEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  static int train(String... args) {
    return new CommandLine(new TrainCommand()).execute(args);
  }

  @Test
  void autoencoderThenFlowChainThroughTheWorkFolder() throws Exception {
    Path work = dir.resolve("work");
    TrainFixtures.preprocess(work, 40, 1);
    String[] common = {"work-dir=" + work, "train.batch-size=4", "train.validation-fraction=0.2",
        "train.log-every=5", "train.keep-last=2"};
    // validation reads the EMA weights: a decay that follows 60 steps
    String[] autoencoder = {"autoencoder", "--steps", "60", "train.autoencoder.lr=2e-3",
        "train.autoencoder.ema-decay=0.8", "train.validate-every=20",
        "train.checkpoint-every=20", "train.sample-every=30"};
    assertEquals(0, train(concat(autoencoder, common)));
    Path ae = work.resolve("autoencoder");
    assertTrue(Checkpoint.isCheckpoint(ae.resolve("checkpoint")));
    assertEquals(60, Checkpoint.step(ae.resolve("checkpoint")));
    assertTrue(Files.isRegularFile(ae.resolve("loss.png")));
    assertTrue(Files.isRegularFile(ae.resolve("samples/step-000000060.png")));
    assertTrue(Files.isRegularFile(ae.resolve("_manifest.json")));
    List<Double> psnr = values(ae.resolve("metrics.jsonl"), "val_psnr");
    assertEquals(3, psnr.size(), psnr.toString());
    assertTrue(psnr.get(2) > psnr.get(0) + 1, "validation PSNR must rise by more than 1 dB: " + psnr);
    assertEquals(List.of("ema", "ema", "ema"), strings(ae.resolve("metrics.jsonl"), "val_weights"));
    try (var steps = Files.list(ae.resolve("checkpoints"))) {
      assertEquals(List.of("step-000000040", "step-000000060"), steps.map(p -> p.getFileName().toString()).sorted()
          .toList()); // keep-last = 2
    }
    // The same command again: the same finished run on the same data is skipped.
    assertEquals(0, train(concat(autoencoder, common)));

    encodeWithTrained(work);
    assertEquals(0, train(concat(new String[] {"flow", "--steps", "60", "train.flow.lr=1e-3",
        "train.flow.sample-steps=4", "train.validate-every=20", "train.checkpoint-every=30", "train.sample-every=30"},
        common)));
    Path flow = work.resolve("flow");
    assertEquals(60, Checkpoint.step(flow.resolve("checkpoint")));
    List<Double> loss = values(flow.resolve("metrics.jsonl"), "loss");
    double first = (loss.get(0) + loss.get(1)) / 2;
    double last = (loss.get(loss.size() - 1) + loss.get(loss.size() - 2)) / 2;
    assertTrue(last < 0.9 * first, "the flow loss must fall: " + loss);
    assertTrue(Files.isRegularFile(flow.resolve("samples/step-000000060.png")));
    assertTrue(Files.isRegularFile(flow.resolve("loss.png")));
    assertEquals(3, values(flow.resolve("metrics.jsonl"), "val_loss").size());
  }

  /** What pdm encode does, with the trained checkpoint's EMA weights: the dataset's latent means. */
  private static void encodeWithTrained(Path work) throws Exception {
    List<String> ids = new ArrayList<>();
    List<float[][]> latents = new ArrayList<>();
    TrainDataConfig all = new TrainDataConfig(16, 2, 1, 0, 0);
    try (NDManager m = NDManager.newBaseManager(); ParquetBatchStream rows = TrainData.open(new Configuration(),
        work.resolve("preprocess").toString(), TrainData.Kind.IMAGES, all, 1, StreamPosition.start(0))) {
      PyramidAutoEncoder ae = (PyramidAutoEncoder) Checkpoint.loadModel(work.resolve("autoencoder/checkpoint"), m,
          m.getDevice(), true).model();
      for (long i = 0; i < rows.trainingRows(); i++) {
        Batch b = rows.next();
        ids.add(b.ids().get(0));
        latents.add(ae.encodeMeans(b.arrays().get(0), 1));
      }
    }
    TrainFixtures.latents(work.resolve("latents"), ids, latents);
  }

  static List<Double> values(Path metrics, String key) throws Exception {
    List<Double> out = new ArrayList<>();
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(line);
      if (n.has(key)) {
        out.add(n.get(key).asDouble());
      }
    }
    return out;
  }

  static List<String> strings(Path metrics, String key) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(line);
      if (n.has(key)) {
        out.add(n.get(key).asText());
      }
    }
    return out;
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static String captured(CommandLine cli, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    cli.setErr(new PrintWriter(err, true));
    cli.execute(args);
    return err.toString(StandardCharsets.UTF_8);
  }
}
