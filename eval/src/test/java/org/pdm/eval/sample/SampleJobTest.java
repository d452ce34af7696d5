package org.pdm.eval.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.schema.SampleSchema;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageResult;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.train.Checkpoint;

/** The whole stage with unet-tiny and autoencoder-tiny (32x32 images) on one local[2] session. */
class SampleJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Path flow;
  private static Path autoencoder;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void checkpoints() throws Exception {
    spark = SparkSession.builder().master("local[2]").appName("sample-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    flow = tmp.resolve("flow");
    autoencoder = tmp.resolve("ae");
    Checkpoint.initialize(flow, ModelConfigs.load(conf("unet-tiny")), 5);
    Checkpoint.initialize(autoencoder, ModelConfigs.load(conf("autoencoder-tiny")), 7);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static Path conf(String name) {
    return Path.of(System.getProperty("pdm.root", ".."), "conf/model/" + name + ".conf");
  }

  private static StageResult sample(Path out, String... more) throws Exception {
    List<String> o = new ArrayList<>(List.of("progress.enabled=false"));
    o.addAll(List.of(more));
    return SampleJob.run(spark, PdmConfig.defaults().with(o.toArray(new String[0])), flow.toString(),
        autoencoder.toString(), out.toString(), false);
  }

  /** index -> PNG bytes. */
  private static Map<Long, byte[]> images(Path out) {
    Map<Long, byte[]> m = new TreeMap<>();
    for (Row r : spark.read().parquet(out.resolve("images").toString()).collectAsList()) {
      m.put(r.getAs("index"), r.getAs("image"));
    }
    return m;
  }

  @Test
  void imagesDoNotDependOnPartitioning() throws Exception {
    String[] common = {"sample.count=4", "sample.batch-size=1", "sample.sampler=\"euler:3\"", "sample.seed=11"};
    Path one = tmp.resolve("p1");
    Path three = tmp.resolve("p3");
    List<String> a = new ArrayList<>(List.of(common));
    a.add("sample.partitions=1");
    List<String> b = new ArrayList<>(List.of(common));
    b.add("sample.partitions=3");
    assertEquals(1, sample(one, a.toArray(new String[0])).manifest().counts().get("partitions"));
    assertEquals(3, sample(three, b.toArray(new String[0])).manifest().counts().get("partitions"));
    Map<Long, byte[]> x = images(one);
    Map<Long, byte[]> y = images(three);
    assertEquals(List.of(0L, 1L, 2L, 3L), new ArrayList<>(x.keySet()));
    for (long i = 0; i < 4; i++) {
      assertArrayEquals(x.get(i), y.get(i), "sample " + i);
    }
    // different noise, different pictures
    assertTrue(!java.util.Arrays.equals(x.get(0L), x.get(1L)));

    // Rows read as a dataset: the first five columns are DatasetSchema's, and the PNG decodes.
    var df = spark.read().parquet(one.resolve("images").toString());
    for (int i = 0; i < 5; i++) { // the first five columns
      assertEquals(DatasetSchema.DATASET.fields()[i].name(), df.schema().fields()[i].name());
      assertEquals(DatasetSchema.DATASET.fields()[i].dataType(), df.schema().fields()[i].dataType());
    }
    Row r = df.where("index = 3").first();
    assertEquals(SampleSchema.id(3), r.getAs("id"));
    assertEquals("sample-00000003", r.getAs("id"));
    assertEquals("png", r.getAs("format"));
    assertEquals(11L, (long) r.getAs("seed"));
    assertEquals("euler:3", r.getAs("sampler"));
    assertEquals(3 * 32 * 32, DatasetImages.rgb(r.getAs("image"), "png", 32, 32).length);

    // Euler: NFE = steps for every sample
    JsonNode stats = JSON.readTree(one.resolve("stats.json").toFile());
    assertEquals(4, stats.get("count").asLong());
    assertEquals(3.0, stats.get("nfe").get("mean").asDouble());
    assertEquals(3, stats.get("nfe").get("min").asInt());
    assertEquals(3, stats.get("nfe").get("max").asInt());
    assertEquals("euler:3", stats.get("sampler").asText());
    BufferedImage grid = ImageIO.read(one.resolve("grid.png").toFile());
    // 4 samples: 2 columns, 2 rows of 32 px with 2 px gaps
    assertEquals(2 * 34 + 2, grid.getWidth());
    assertEquals(2 * 34 + 2, grid.getHeight());

    // Same settings: skipped (the partition count is not part of what decides the pictures).
    assertTrue(sample(one, b.toArray(new String[0])).skipped());
  }

  @Test
  void rk45RecordsItsEvaluationsPerBatch() throws Exception {
    Path out = tmp.resolve("rk45");
    sample(out, "sample.count=2", "sample.batch-size=1", "sample.sampler=\"rk45:0.1\"", "sample.grid=0");
    List<Integer> nfe = new ArrayList<>();
    for (Row r : spark.read().parquet(out.resolve("images").toString()).orderBy("index").collectAsList()) {
      nfe.add(r.getAs("nfe"));
      assertEquals("rk45:1e-01", r.getAs("sampler"));
    }
    // Dormand-Prince with FSAL: 2 evaluations to start (f0 and the initial-step probe), then 6 per attempt
    for (int n : nfe) {
      assertTrue(n >= 8 && (n - 2) % 6 == 0, "nfe " + nfe);
    }
    JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
    assertEquals(nfe.stream().mapToInt(Integer::intValue).min().getAsInt(), stats.get("nfe").get("min").asInt());
    assertEquals(nfe.stream().mapToInt(Integer::intValue).max().getAsInt(), stats.get("nfe").get("max").asInt());
    assertEquals(nfe.stream().mapToInt(Integer::intValue).average().getAsDouble(),
        stats.get("nfe").get("mean").asDouble(), 1e-9);
    assertTrue(!Files.exists(out.resolve("grid.png")));
  }

  @Test
  void refusesAFlowWhoseLatentsTheAutoencoderDoesNotDecode() throws Exception {
    Path single = tmp.resolve("single");
    Checkpoint.initialize(single, ModelConfigs.load(conf("unet-tiny-single")), 1);
    var e = assertThrows(StagePathException.class, () -> SampleJob.run(spark, PdmConfig.defaults().with(
        "progress.enabled=false"), single.toString(), autoencoder.toString(), tmp.resolve("x").toString(), false));
    assertTrue(e.getMessage().contains("decodes"), e.getMessage());
    var swapped = assertThrows(StagePathException.class, () -> SampleJob.run(spark, PdmConfig.defaults().with(
        "progress.enabled=false"), autoencoder.toString(), flow.toString(), tmp.resolve("x").toString(), false));
    assertTrue(swapped.getMessage().contains("flow (UNet) checkpoint"), swapped.getMessage());
  }

  @Test
  void decodedSamplesFollowTheFlowCheckpointsLatentScaler() throws Exception {
    // The flow as training saves it: checkpoint.json with the latent-stats scaler (std 2.5 and 0.5:
    // divisors 2.5 and 1, a level under 1 is not rescaled).
    Path scaled = tmp.resolve("flow-scaled");
    Files.createDirectories(scaled);
    try (var files = Files.list(flow)) {
      for (Path f : files.toList()) {
        Files.copy(f, scaled.resolve(f.getFileName()));
      }
    }
    var meta = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(scaled.resolve("checkpoint.json")
        .toFile());
    var sc = meta.putObject("latent_scaler");
    sc.putArray("std").add(2.5).add(0.5);
    sc.put("updates", 100);
    sc.put("warmup", 100);
    sc.put("decay", 0.99);
    JSON.writeValue(scaled.resolve("checkpoint.json").toFile(), meta);
    String[] settings = {"progress.enabled=false", "sample.count=2", "sample.batch-size=2", "sample.sampler=\"euler:3\"",
        "sample.seed=4", "sample.grid=0"};
    Path plainOut = tmp.resolve("plain");
    Path scaledOut = tmp.resolve("scaled");
    SampleJob.run(spark, PdmConfig.defaults().with(settings), flow.toString(), autoencoder.toString(),
        plainOut.toString(), false);
    SampleJob.run(spark, PdmConfig.defaults().with(settings), scaled.toString(), autoencoder.toString(),
        scaledOut.toString(), false);
    assertEquals(List.of(2.5, 1.0), List.of(JSON.readTree(scaledOut.resolve("stats.json").toFile())
        .get("latent_divisors").get(0).asDouble(), JSON.readTree(scaledOut.resolve("stats.json").toFile())
        .get("latent_divisors").get(1).asDouble()));

    // Expected, computed here from the models: the flow's samples, the first level times 2.5, decoded.
    byte[][] expected = new byte[2][];
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
      var net = (org.pdm.model.unet.PyramidUNet) Checkpoint.loadModel(flow, m, ai.djl.Device.cpu(), true).model();
      var ae = (org.pdm.model.autoencoder.PyramidAutoEncoder) Checkpoint.loadModel(autoencoder, m,
          ai.djl.Device.cpu(), true).model();
      var levels = net.levels();
      ai.djl.ndarray.NDList z0 = new ai.djl.ndarray.NDList();
      for (int l = 0; l < levels.size(); l++) {
        var s = levels.get(l);
        float[] both = new float[(int) (2 * s.size())];
        for (int i = 0; i < 2; i++) {
          float[] one = SampleNoise.draw(4, i, levels)[l];
          System.arraycopy(one, 0, both, (int) (i * s.size()), one.length);
        }
        z0.add(m.create(both, new ai.djl.ndarray.types.Shape(2, s.channels(), s.height(), s.width())));
      }
      var z = SamplerSpec.parse("euler:3").build().sample(net.velocity(), z0).z();
      float[][] latents = new float[levels.size()][];
      for (int l = 0; l < levels.size(); l++) {
        latents[l] = z.get(l).toFloatArray();
      }
      for (int k = 0; k < latents[0].length; k++) {
        latents[0][k] *= 2.5f;
      }
      float[] images = ae.decode(latents, 2);
      for (int i = 0; i < 2; i++) {
        expected[i] = Pixels.rgb(images, i, 32, 32);
      }
    }
    Map<Long, byte[]> plain = images(plainOut);
    Map<Long, byte[]> withScaler = images(scaledOut);
    for (long i = 0; i < 2; i++) {
      byte[] got = DatasetImages.rgb(withScaler.get(i), "png", 32, 32);
      assertArrayEquals(expected[(int) i], got, "sample " + i);
      assertTrue(!java.util.Arrays.equals(DatasetImages.rgb(plain.get(i), "png", 32, 32), got),
          "the scaler changes sample " + i);
    }
  }
}
