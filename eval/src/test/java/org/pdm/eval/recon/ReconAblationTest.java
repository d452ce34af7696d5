package org.pdm.eval.recon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.schema.ValidationSplit;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.eval.sample.Pixels;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.train.Checkpoint;

/** eval recon and eval ablation with autoencoder-tiny (32x32) on a tiny generated dataset, one local[2] session. */
class ReconAblationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ValidationSplit SPLIT = new ValidationSplit(0.5);
  private static SparkSession spark;
  private static Path checkpoint;
  private static Path dataset;
  private static final Map<String, byte[]> PNGS = new HashMap<>();
  private static final List<String> GOOD_VALIDATION = new ArrayList<>();

  @TempDir
  static Path tmp;

  @BeforeAll
  static void dataset() throws Exception {
    spark = SparkSession.builder().master("local[2]").appName("recon-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    checkpoint = tmp.resolve("ae");
    Checkpoint.initialize(checkpoint, ModelConfigs.load(Path.of(System.getProperty("pdm.root", ".."),
        "conf/model/autoencoder-tiny.conf")), 7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String id = "img" + i;
      PNGS.put(id, png(32, 32, i));
      rows.add(row(id, PNGS.get(id), 32, 32));
      if (SPLIT.isValidation(id)) {
        GOOD_VALIDATION.add(id);
      }
    }
    // bad rows inside the validation split, so that recon meets them
    rows.add(row(validationId("small"), png(16, 16, 99), 16, 16));
    rows.add(row(validationId("broken"), new byte[] {1, 2, 3}, 32, 32));
    dataset = tmp.resolve("pre");
    StageOutput.at(spark.sparkContext().hadoopConfiguration(), dataset.toString()).run(new StageSpec(
        WorkLayout.PREPROCESS.stage(), "{}", List.of()), true, ctx ->
        spark.createDataFrame(rows, DatasetSchema.DATASET).coalesce(1).write().parquet(ctx.path("dataset")));
    assertTrue(GOOD_VALIDATION.size() >= 2, "ids in the validation split: " + GOOD_VALIDATION);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static String validationId(String prefix) {
    for (int k = 0; ; k++) {
      if (SPLIT.isValidation(prefix + k)) {
        return prefix + k;
      }
    }
  }

  private static byte[] png(int w, int h, long seed) throws Exception {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int base = r.nextInt(0xffffff);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (base + x * 0x050301 + y * 0x010507 + r.nextInt(16)) & 0xffffff);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static Row row(String id, byte[] image, int w, int h) {
    return RowFactory.create(id, image, "png", w, h, w, h, 0, 0, w, h, 1, "png", "sRGB", 1.0, 0L);
  }

  /** The reconstruction of one image computed here, outside Spark, with the same rules. */
  private static byte[] reconstruct(String id) throws Exception {
    byte[] rgb = DatasetImages.rgb(PNGS.get(id), "png", 32, 32);
    float[] chw = DatasetImages.chwUnit(PNGS.get(id), "png", 32, 32);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      PyramidAutoEncoder ae = (PyramidAutoEncoder) Checkpoint.loadModel(checkpoint, m, Device.cpu(), false).model();
      byte[] rec = Pixels.rgb(ae.decode(ae.encodeMeans(chw, 1), 1), 0, 32, 32);
      assertEquals(rgb.length, rec.length);
      return rec;
    }
  }

  @Test
  void reconScoresTheValidationSplitAndKeepsItsBadRows() throws Exception {
    Path out = tmp.resolve("recon");
    ReconJob.run(spark, PdmConfig.defaults().with("progress.enabled=false", "eval.recon.validation-fraction=0.5",
        "eval.recon.batch-size=2", "eval.recon.partitions=2"), dataset.toString(), checkpoint.toString(),
        out.toString(), false);
    JsonNode json = JSON.readTree(out.resolve("recon.json").toFile());
    assertEquals(GOOD_VALIDATION.size(), json.get("images").asInt());
    assertEquals(GOOD_VALIDATION.size() + 2, json.get("validation_rows").asInt());
    assertEquals(1, json.get("rejected_by_reason").get("wrong-size").asInt());
    assertEquals(1, json.get("rejected_by_reason").get("undecodable").asInt());
    List<String> csv = Files.readAllLines(out.resolve("per-image.csv"));
    assertEquals("id,mse,psnr,ssim", csv.get(0));
    assertEquals(GOOD_VALIDATION.size() + 1, csv.size());
    double psnrSum = 0;
    double ssimSum = 0;
    for (String line : csv.subList(1, csv.size())) {
      String[] f = line.split(",");
      assertTrue(GOOD_VALIDATION.contains(f[0]), f[0]);
      psnrSum += Double.parseDouble(f[2]);
      ssimSum += Double.parseDouble(f[3]);
    }
    assertEquals(psnrSum / GOOD_VALIDATION.size(), json.get("psnr").asDouble(), 1e-9);
    assertEquals(ssimSum / GOOD_VALIDATION.size(), json.get("ssim").asDouble(), 1e-9);
    // one image scored here against the stage's number (batched on the executor; the 8-bit rounding may move
    // a pixel by one level, hence the tolerance)
    String first = csv.get(1).split(",")[0];
    byte[] orig = DatasetImages.rgb(PNGS.get(first), "png", 32, 32);
    byte[] rec = reconstruct(first);
    assertEquals(ImageMetrics.psnr(orig, rec), Double.parseDouble(csv.get(1).split(",")[2]), 0.02);
    assertEquals(ImageMetrics.ssim(orig, rec, 32, 32), Double.parseDouble(csv.get(1).split(",")[3]), 1e-3);
    List<String> rejects = Files.readAllLines(out.resolve("rejects.csv"));
    assertEquals(3, rejects.size());
    assertTrue(rejects.get(1).contains("undecodable") || rejects.get(2).contains("undecodable"), rejects.toString());
    String line = ReconJob.line(spark.sparkContext().hadoopConfiguration(), out.toString());
    assertTrue(line.startsWith("eval recon: PSNR "), line);
    // no extractor configured: rFID is null with the reason, and the line says how to have it
    assertTrue(json.get("rfid").isNull());
    assertTrue(json.get("rfid_skipped").asText().contains("pdm.eval.inception"), json.toString());
    assertTrue(line.contains("\neval recon: rFID skipped: pdm.eval.inception is not set"), line);
  }

  @Test
  void reconMeasuresRfidOfTheValidationImagesInTheSameTasks() throws Exception {
    Path standIn = tmp.resolve("standin-inception.pt");
    try (var in = getClass().getResourceAsStream("/fid/standin-inception.pt")) {
      Files.copy(in, standIn);
    }
    Path out = tmp.resolve("recon-rfid");
    // batch 1 on both networks: the executor computes each picture exactly as this test does
    ReconJob.run(spark, PdmConfig.defaults().with("progress.enabled=false", "eval.recon.validation-fraction=0.5",
        "eval.recon.batch-size=1", "eval.recon.partitions=2", "eval.inception=\"" + standIn + "\"",
        "eval.fid.mode=legacy-tensorflow", "eval.fid.batch-size=1"), dataset.toString(), checkpoint.toString(),
        out.toString(), false);
    JsonNode json = JSON.readTree(out.resolve("recon.json").toFile());

    // The same FID computed here: the stand-in's features of each original and of its reconstruction.
    org.pdm.eval.fid.FeatureMoments a = null;
    org.pdm.eval.fid.FeatureMoments b = null;
    try (var net = org.pdm.eval.fid.FeatureNetwork.load(standIn, Device.cpu())) {
      for (String id : GOOD_VALIDATION) {
        double[] fa = features(net, DatasetImages.rgb(PNGS.get(id), "png", 32, 32));
        double[] fb = features(net, reconstruct(id));
        a = a == null ? new org.pdm.eval.fid.FeatureMoments(fa.length) : a;
        b = b == null ? new org.pdm.eval.fid.FeatureMoments(fb.length) : b;
        a.addAll(new double[][] {fa});
        b.addAll(new double[][] {fb});
      }
    }
    double expected = org.pdm.eval.fid.FrechetDistance.of(a.gaussian(), b.gaussian()).fid();
    assertTrue(expected > 0, "an untrained autoencoder's reconstructions differ: " + expected);
    assertEquals(expected, json.get("rfid").asDouble(), 1e-6 * expected);
    assertTrue(json.get("rfid_skipped").isNull());
    assertEquals(GOOD_VALIDATION.size(), json.get("rfid_detail").get("n").asInt());
    assertEquals("legacy-tensorflow", json.get("rfid_detail").get("mode").asText());
    assertEquals(GOOD_VALIDATION.size(), json.get("images").asInt()); // PSNR and SSIM as ever, same tasks
    String line = ReconJob.line(spark.sparkContext().hadoopConfiguration(), out.toString());
    assertTrue(line.contains(", rFID ") && !line.contains("skipped"), line);
  }

  /** uint8 HWC to the network's NCHW bytes, one picture. */
  private static double[] features(org.pdm.eval.fid.FeatureNetwork net, byte[] hwc) {
    int plane = 32 * 32;
    byte[] chw = new byte[3 * plane];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < 3; c++) {
        chw[c * plane + p] = hwc[3 * p + c];
      }
    }
    float[] f = net.features(chw, 1, 32, 32)[0];
    double[] d = new double[f.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void ablationDrawsALabelledGridAndAPsnrTable() throws Exception {
    Path out = tmp.resolve("ablation");
    AblationJob.run(spark, PdmConfig.defaults().with("progress.enabled=false", "eval.ablation.count=3",
        "eval.ablation.validation-fraction=0.5"), dataset.toString(), checkpoint.toString(), out.toString(), false);
    BufferedImage grid = ImageIO.read(out.resolve("ablation.png").toFile());
    // 3 rows; columns: original, all levels, only 8x8x4, only 4x4x8, without 8x8x4, without 4x4x8; cells 96 px
    assertArrayEquals(AblationGrid.size(3, 6, 32, 32), new int[] {grid.getWidth(), grid.getHeight()});
    assertEquals(140 + 6 * 100 + 4, grid.getWidth());
    assertEquals(22 + 3 * 100 + 4, grid.getHeight());
    JsonNode json = JSON.readTree(out.resolve("ablation.json").toFile());
    assertEquals("[\"8x8x4\",\"4x4x8\"]", json.get("levels").toString());
    JsonNode images = json.get("images");
    assertEquals(3, images.size());
    // lowest id hashes first: the validation split's images lead
    List<String> expected = new ArrayList<>(PNGS.keySet());
    expected.sort(java.util.Comparator.comparingDouble(ValidationSplit::unitHash));
    for (int i = 0; i < 3; i++) {
      assertEquals(expected.get(i), images.get(i).get("id").asText());
      assertEquals(SPLIT.isValidation(expected.get(i)), images.get(i).get("validation").asBoolean());
    }
    Map<String, JsonNode> byName = new HashMap<>();
    json.get("variants").forEach(v -> byName.put(v.get("name").asText(), v));
    assertEquals(List.of("all levels", "only 8x8x4", "only 4x4x8", "without 8x8x4", "without 4x4x8"),
        json.get("variants").findValuesAsText("name"));
    // with two levels, "without the large one" keeps exactly "only the small one"
    assertEquals(byName.get("only 4x4x8").get("psnr"), byName.get("without 8x8x4").get("psnr"));
    // the full decoding is the plain reconstruction
    String id = images.get(0).get("id").asText();
    double full = byName.get("all levels").get("psnr").get(0).asDouble();
    assertEquals(ImageMetrics.psnr(DatasetImages.rgb(PNGS.get(id), "png", 32, 32), reconstruct(id)), full, 1e-9);
    double mean = 0;
    for (JsonNode p : byName.get("only 8x8x4").get("psnr")) {
      mean += p.asDouble() / 3;
    }
    assertEquals(mean, byName.get("only 8x8x4").get("psnr_mean").asDouble(), 1e-9);
    List<String> md = Files.readAllLines(out.resolve("ablation.md"));
    assertEquals("| variant | levels kept | PSNR (dB) | SSIM |", md.get(0));
    assertTrue(md.get(3).startsWith("| only 8x8x4 | 8x8x4 | " + String.format("%.2f", mean) + " |"), md.get(3));
  }
}
