package org.pdm.eval.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import picocli.CommandLine;

/** pdm eval fid end to end with the stand-in extractor on tiny generated picture sets, one local[2] session. */
class FidJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Path standIn;
  private static String realDataset;
  private static String fakeParquet;
  private static String realFiles;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void data() throws Exception {
    spark = SparkSession.builder().master("local[2]").appName("fid-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    standIn = Fixtures.standIn(tmp);
    List<Row> real = rows("r", 24, 1);
    List<Row> fake = rows("f", 24, 3); // darker, flatter pictures: a clearly different set
    realDataset = tmp.resolve("preprocess").toString();
    StageOutput.at(spark.sparkContext().hadoopConfiguration(), realDataset).run(new StageSpec(
        WorkLayout.PREPROCESS.stage(), "{}", List.of()), true, ctx ->
        spark.createDataFrame(real, DatasetSchema.DATASET).repartition(3).write().parquet(ctx.path("dataset")));
    fakeParquet = tmp.resolve("fake-parquet").toString();
    spark.createDataFrame(fake, DatasetSchema.DATASET).coalesce(1).write().parquet(fakeParquet);
    Path files = Files.createDirectories(tmp.resolve("real-files/sub"));
    for (Row r : real) {
      Files.write(files.resolve(r.getString(0) + ".png"), (byte[]) r.get(1));
    }
    realFiles = tmp.resolve("real-files").toString();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static PdmConfig config(String... more) {
    List<String> o = new ArrayList<>(List.of("eval.inception=\"" + standIn + "\"", "work-dir=\"" + tmp + "\"",
        "progress.enabled=false", "eval.fid.kid-subsets=20", "eval.fid.batch-size=5", "eval.fid.partitions=2"));
    o.addAll(List.of(more));
    return PdmConfig.defaults().with(o.toArray(new String[0]));
  }

  private static FidJob.Outcome fid(String real, String fake, String out, String... more) throws Exception {
    return FidJob.run(spark, config(more), real, fake, tmp.resolve(out).toString(), true);
  }

  @Test
  void fidOfASetWithItselfIsZero() throws Exception {
    FidJob.Outcome o = fid(realDataset, realDataset, "self");
    assertEquals(0.0, o.fid(), 1e-6);
    assertEquals(1.0, o.json().get("precision").asDouble());
    assertEquals(1.0, o.json().get("recall").asDouble());
    assertEquals(24, o.json().get("n_real").asLong());
  }

  @Test
  void aFolderOfFilesGivesTheSameFidAsTheDatasetOfItsPictures() throws Exception {
    double fromDataset = fid(realDataset, fakeParquet, "a", "eval.fid.stats-cache=\"" + tmp.resolve("cache-a") + "\"").fid();
    double fromFiles = fid(realFiles, fakeParquet, "b").fid();
    assertTrue(fromDataset > 0.01, "different sets: " + fromDataset);
    // Same features; only the order of float64 sums differs (other partitions), which the FID of two
    // close sets amplifies by tr(S) / FID.
    assertEquals(fromDataset, fromFiles, 1e-6 * fromDataset);
  }

  @Test
  void commandWritesFidJsonFeaturesAndStatsThatReplaceTheRealSide() throws Exception {
    Path npz = tmp.resolve("real.npz");
    Path out = tmp.resolve("eval");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = new CommandLine(new FidCommand()).execute("--real", realDataset, "--fake", fakeParquet, "--inception",
          standIn.toString(), "--save-stats", npz.toString(), "--out", out.toString(), "work-dir=" + tmp,
          "progress.enabled=false", "eval.fid.kid-subsets=10");
    } finally {
      System.setOut(old);
    }
    assertEquals(0, code);
    String line = stdout.toString(StandardCharsets.UTF_8);
    assertTrue(line.startsWith("FID ") && line.contains("KID") && line.contains("precision"), line);
    JsonNode j = JSON.readTree(out.resolve("fid.json").toFile());
    for (String key : List.of("fid", "kid", "precision", "recall", "n_real", "n_fake", "mode", "detector", "warnings")) {
      assertTrue(j.has(key), key + " in " + j);
    }
    assertEquals("clean", j.get("mode").asText());
    assertEquals(DetectorSource.sha256(new org.apache.hadoop.conf.Configuration(), standIn.toString()),
        j.get("detector").get("sha256").asText());
    assertEquals(24, spark.read().parquet(out.resolve("features/fake").toString()).count());
    assertTrue(j.get("warnings").toString().contains("2048"), "a warning for fewer than 2048 samples");

    // The saved statistics stand for the real side: the same FID without its pictures.
    FidJob.Outcome fromStats = fid(npz.toString(), fakeParquet, "npz");
    assertEquals(j.get("fid").asDouble(), fromStats.fid(), 1e-6 * fromStats.fid());
    assertTrue(fromStats.json().get("kid").isNull());
    assertEquals(24, fromStats.json().get("n_real").asLong(), "n travels in the npz");
  }

  @Test
  void realStatisticsAreCachedAndReused() throws Exception {
    String cache = "eval.fid.stats-cache=\"" + tmp.resolve("cache") + "\"";
    FidJob.Outcome first = fid(realDataset, fakeParquet, "c1", cache);
    FidJob.Outcome second = fid(realDataset, fakeParquet, "c2", cache);
    assertFalse(first.stage().counts().containsKey("real.cached"));
    assertEquals(1L, second.stage().counts().get("real.cached"));
    assertEquals(first.fid(), second.fid(), 0.0);
    FidJob.Outcome legacy = fid(realDataset, fakeParquet, "c3", cache, "eval.fid.mode=legacy-tensorflow");
    assertFalse(legacy.stage().counts().containsKey("real.cached"), "another mode is another key");
    assertNotEquals(first.fid(), legacy.fid());
    assertEquals("legacy-tensorflow", legacy.json().get("mode").asText());
  }

  @Test
  void anUndecodablePictureIsKeptWithItsReasonAndCounted() throws Exception {
    List<Row> rows = rows("b", 6, 1);
    rows.add(RowFactory.create("broken", new byte[] {1, 2, 3}, "png", 40, 30, 40, 30, 0, 0, 40, 30, 1, "png",
        "sRGB", 1.0, 0L));
    String bad = tmp.resolve("with-bad").toString();
    spark.createDataFrame(rows, DatasetSchema.DATASET).write().parquet(bad);
    FidJob.Outcome o = fid(realDataset, bad, "bad");
    assertEquals(1L, o.stage().counts().get("fake.rejected.undecodable"));
    assertEquals(6, o.json().get("n_fake").asLong());
    Row kept = spark.read().parquet(tmp.resolve("bad/features/fake").toString()).where("id = 'broken'").first();
    assertTrue(kept.isNullAt(1));
    assertEquals("undecodable", kept.getString(2));
  }

  @Test
  void statisticsOfOneAndSevenPartitionsAgree() {
    Random rng = new Random(8);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Float[] f = new Float[12];
      for (int j = 0; j < 12; j++) {
        f[j] = (float) (rng.nextGaussian() * (1 + j) + j);
      }
      rows.add(RowFactory.create((Object) f));
    }
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType));
    var df = spark.createDataFrame(rows, schema);
    GaussianStats one = FeatureJob.moments(df.repartition(1).javaRDD()).gaussian();
    GaussianStats seven = FeatureJob.moments(df.repartition(7).javaRDD()).gaussian();
    assertEquals(300, seven.n());
    for (int i = 0; i < one.mu().length; i++) {
      assertEquals(one.mu()[i], seven.mu()[i], 1e-12 * Math.abs(one.mu()[i]));
    }
    for (int i = 0; i < one.sigma().length; i++) {
      assertEquals(one.sigma()[i], seven.sigma()[i], 1e-12 * Math.max(1e-3, Math.abs(one.sigma()[i])));
    }
  }

  /** {@code n} 40x30 PNG dataset rows; channels divided by {@code dim} (1: as drawn), so that sets differ. */
  static List<Row> rows(String prefix, int n, int dim) throws IOException {
    Random r = new Random(prefix.hashCode());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
      int base = r.nextInt(0xffffff);
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 40; x++) {
          int p = (base + x * 0x050301 * (1 + i % 3) + y * 0x010507 + r.nextInt(32)) & 0xffffff;
          img.setRGB(x, y, (((p >> 16) & 0xff) / dim) << 16 | (((p >> 8) & 0xff) / dim) << 8 | (p & 0xff) / dim);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      rows.add(RowFactory.create(prefix + i, out.toByteArray(), "png", 40, 30, 40, 30, 0, 0, 40, 30, 1, "png",
          "sRGB", 1.0, 0L));
    }
    return rows;
  }
}
