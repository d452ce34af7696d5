package org.pdm.eval.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.StageManifest;
import org.pdm.eval.sample.SampleJob;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.train.Checkpoint;
import picocli.CommandLine;

/**
 * pdm eval fid --count N (samples drawn inside the feature tasks) against pdm sample followed by
 * --fake DIR, with unet-tiny, autoencoder-tiny and the stand-in extractor, on one local[2] session.
 */
class GeneratedFidTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Path flow;
  private static Path autoencoder;
  private static Path standIn;
  private static String real;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void setUp() throws Exception {
    spark = SparkSession.builder().master("local[2]").appName("generated-fid-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    flow = tmp.resolve("flow");
    autoencoder = tmp.resolve("ae");
    Path root = Path.of(System.getProperty("pdm.root", ".."));
    Checkpoint.initialize(flow, ModelConfigs.load(root.resolve("conf/model/unet-tiny.conf")), 5);
    Checkpoint.initialize(autoencoder, ModelConfigs.load(root.resolve("conf/model/autoencoder-tiny.conf")), 7);
    standIn = Fixtures.standIn(tmp);
    // The real side: other samples of the same models (seed 1), written by pdm sample.
    real = tmp.resolve("real").toString();
    SampleJob.run(spark, config("sample.seed=1"), flow.toString(), autoencoder.toString(), real, false);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** 6 samples in batches of 4 (two batches, the second short), features in batches of 4, 2 partitions. */
  private static PdmConfig config(String... more) {
    List<String> o = new ArrayList<>(List.of("eval.inception=\"" + standIn + "\"", "work-dir=\"" + tmp + "\"",
        "progress.enabled=false", "sample.count=6", "sample.batch-size=4", "sample.sampler=\"euler:2\"",
        "sample.partitions=2", "sample.grid=4", "eval.fid.kid-subsets=5", "eval.fid.batch-size=3",
        "eval.fid.partitions=2", "eval.fid.stats-cache=\"" + tmp.resolve("cache") + "\""));
    o.addAll(List.of(more));
    return PdmConfig.defaults().with(o.toArray(new String[0]));
  }

  private static Map<String, float[]> features(Path folder) {
    Map<String, float[]> m = new TreeMap<>();
    for (Row r : spark.read().parquet(folder.toString()).collectAsList()) {
      List<Float> f = r.getList(1);
      float[] x = new float[f.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = f.get(i);
      }
      m.put(r.getString(0), x);
    }
    return m;
  }

  private static Map<Long, byte[]> images(Path folder) {
    Map<Long, byte[]> m = new TreeMap<>();
    for (Row r : spark.read().parquet(folder.toString()).collectAsList()) {
      m.put(r.getAs("index"), r.getAs("image"));
    }
    return m;
  }

  @Test
  void drawnInTheFeatureTasksGivesTheFidOfPdmSampleThenFake() throws Exception {
    Path samples = tmp.resolve("samples");
    SampleJob.run(spark, config("sample.seed=2"), flow.toString(), autoencoder.toString(), samples.toString(), false);
    Path viaFiles = tmp.resolve("eval-files");
    FidJob.Outcome a = FidJob.run(spark, config(), real, samples.toString(), viaFiles.toString(), false);

    // The same run through the command line: --count with the flow and its flags.
    Path fused = tmp.resolve("eval-fused");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = new CommandLine(new FidCommand()).execute("--real", real, "--count", "6", "--flow", flow.toString(),
          "--autoencoder", autoencoder.toString(), "--seed", "2", "--sampler", "euler:2", "--keep-samples", "--out",
          fused.toString(), "eval.inception=\"" + standIn + "\"", "work-dir=\"" + tmp + "\"", "progress.enabled=false",
          "sample.batch-size=4", "sample.partitions=2", "sample.grid=4", "eval.fid.kid-subsets=5",
          "eval.fid.batch-size=3", "eval.fid.partitions=2", "eval.fid.stats-cache=\"" + tmp.resolve("cache") + "\"");
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code, stdout.toString(StandardCharsets.UTF_8));
    JsonNode b = JSON.readTree(fused.resolve("fid.json").toFile());

    // Same features per sample id, hence the same statistics and FID (only float64 summation order differs).
    Map<String, float[]> fa = features(viaFiles.resolve("features/fake"));
    Map<String, float[]> fb = features(fused.resolve("features/fake"));
    assertEquals(fa.keySet(), fb.keySet());
    assertEquals(6, fb.size());
    for (String id : fa.keySet()) {
      assertArrayEquals(fa.get(id), fb.get(id), 1e-5f, id);
    }
    assertTrue(a.fid() > 0, "two different sample sets: " + a.fid());
    assertEquals(a.fid(), b.get("fid").asDouble(), 1e-9 * a.fid());
    assertEquals(a.json().get("kid").get("mean").asDouble(), b.get("kid").get("mean").asDouble(), 1e-9);
    assertEquals(6, b.get("n_fake").asLong());

    // fid.json records how the fake side was drawn, its NFE and the time split.
    JsonNode g = b.get("generated");
    assertEquals("euler:2", g.get("sampler").asText());
    assertEquals(2, g.get("seed").asLong());
    assertEquals(6, g.get("count").asLong());
    assertEquals(4, g.get("batch_size").asInt());
    assertEquals(2.0, g.get("nfe").get("mean").asDouble());
    assertEquals(2, g.get("nfe").get("max").asInt());
    JsonNode stats = JSON.readTree(samples.resolve("stats.json").toFile());
    assertEquals(stats.get("flow_sha256").asText(), g.get("flow_sha256").asText());
    assertEquals(stats.get("autoencoder_sha256").asText(), g.get("autoencoder_sha256").asText());
    assertEquals(64, g.get("flow_sha256").asText().length());
    for (String t : List.of("sample_task_seconds", "decode_task_seconds", "features_task_seconds",
        "png_task_seconds", "generate_wall_seconds")) {
      assertTrue(b.get("times").get(t).asDouble() > 0, t + " in " + b.get("times"));
    }
    assertTrue(b.get("times").has("merge_seconds"));
    assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith("FID "));

    // --keep-samples: pdm sample's layout and bytes, readable again as a fake side.
    Path kept = fused.resolve("samples");
    Map<Long, byte[]> ours = images(kept.resolve("images"));
    Map<Long, byte[]> theirs = images(samples.resolve("images"));
    assertEquals(theirs.keySet(), ours.keySet());
    for (long i : theirs.keySet()) {
      assertArrayEquals(theirs.get(i), ours.get(i), "sample " + i);
    }
    assertEquals(spark.read().parquet(samples.resolve("images").toString()).schema(),
        spark.read().parquet(kept.resolve("images").toString()).schema());
    JsonNode keptStats = JSON.readTree(kept.resolve("stats.json").toFile());
    assertEquals(stats.get("nfe"), keptStats.get("nfe"));
    assertTrue(Files.exists(kept.resolve("grid.png")));
    FidInput back = FidInput.resolve(spark.sparkContext().hadoopConfiguration(), kept.toString(), "--fake");
    assertEquals(FidInput.Kind.ROWS, back.kind());

    // The same settings again: up to date; another seed is not.
    StageManifest before = StageManifest.read(org.apache.hadoop.fs.FileSystem.getLocal(
        new org.apache.hadoop.conf.Configuration()), new org.apache.hadoop.fs.Path(fused.toString()));
    assertEquals(6L, before.counts().get("fake.samples"));
    // drawn once: the features, the NFE summary and the kept PNGs all read the one persisted result
    assertEquals(6L, before.counts().get("fake.drawn"));
    assertTrue(FidJob.runGenerated(spark, config("eval.fid.generate.count=6", "sample.seed=2",
        "eval.fid.generate.keep-samples=true"), real, flow.toString(), autoencoder.toString(), fused.toString(), false)
        .stage().skipped());
  }

  @Test
  void countExcludesFakeAndTheFlowFlagsNeedCount() {
    var both = assertThrows(ConfigError.class, () -> GenerateConfig.from(config("eval.fid.generate.count=4",
        "eval.fid.fake=\"x\"")));
    assertTrue(both.getMessage().contains("exclude each other"), both.getMessage());
    var noCount = assertThrows(ConfigError.class, () -> GenerateConfig.from(config("eval.fid.generate.flow=\"f\"")));
    assertTrue(noCount.getMessage().contains("--count N"), noCount.getMessage());
    assertThrows(ConfigError.class, () -> GenerateConfig.from(config("eval.fid.generate.count=1")));
    GenerateConfig g = GenerateConfig.from(config("eval.fid.generate.count=9"));
    assertEquals(9, g.sample().count()); // pdm.sample.count does not decide it
    assertEquals("euler:2", g.sample().sampler().label());
  }
}
