package org.pdm.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.spark.SparkSessions;
import org.pdm.core.stage.StageResult;

class SynthJobTest {
  private static SparkSession spark;
  private static PdmConfig config;

  @BeforeAll
  static void start() {
    config = PdmConfig.defaults().with("spark.master=\"local[2]\"", "spark.conf.\"spark.sql.shuffle.partitions\"=3",
        "synth.count=12", "synth.min-size=96x48", "progress.enabled=false");
    spark = SparkSessions.getOrCreate(config, "test");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theSessionIsEmbeddedOnLoopbackWithOurSettings() {
    var conf = spark.sparkContext().getConf();
    assertEquals("127.0.0.1", conf.get("spark.driver.host"));
    assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
    assertEquals("false", conf.get("spark.ui.enabled"));
    assertEquals("3", conf.get("spark.sql.shuffle.partitions"));
    assertTrue(conf.get("spark.executor.extraJavaOptions").contains("-Dai.djl.offline=true"));
    assertEquals("true", conf.get("spark.executorEnv.OPT_OUT_TRACKING"));
    assertEquals("true", System.getProperty("ai.djl.offline"));
  }

  @Test
  void writesImagesAndBothManifests(@TempDir Path dir) throws Exception {
    StageResult r = SynthJob.run(spark, config, dir.resolve("s").toString(), false);
    Path out = dir.resolve("s");
    assertFalse(r.skipped());
    assertEquals(12L, r.counts().get("images"));
    assertEquals(3L, r.counts().get("off-spec"));
    List<String> tsv = Files.readAllLines(out.resolve("photos.tsv"));
    assertEquals(13, tsv.size());
    assertEquals(SynthManifests.UNSPLASH_HEADER, tsv.get(0));
    assertEquals(28, tsv.get(0).split("\t").length);
    List<String> csv = Files.readAllLines(out.resolve("flickr.csv"));
    assertEquals(13, csv.size());
    assertTrue(csv.get(0).startsWith("id,owner,title,license,media,url_o,width_o,height_o"));
    for (String row : tsv.subList(1, tsv.size())) {
      String[] f = row.split("\t", -1);
      assertEquals(28, f.length);
      Path image = out.resolve(f[2]);
      BufferedImage img = ImageIO.read(image.toFile());
      assertEquals(Integer.parseInt(f[5]), img.getWidth(), f[2]);
      assertEquals(Integer.parseInt(f[6]), img.getHeight(), f[2]);
      byte[] head = Files.readAllBytes(image);
      if (f[2].endsWith(".png")) {
        assertEquals((byte) 0x89, head[0]);
      } else {
        assertEquals((byte) 0xFF, head[0]);
        assertEquals((byte) 0xD8, head[1]);
      }
    }
    assertTrue(Files.exists(out.resolve("_manifest.json")));
  }

  @Test
  void sameSeedSameBytesAndFileUrlsPointAtTheFinalFolder(@TempDir Path dir) throws Exception {
    SynthJob.run(spark, config, dir.resolve("a").toString(), false);
    SynthJob.run(spark, config.with("synth.url-style=file"), dir.resolve("b").toString(), false);
    List<String> a = Files.readAllLines(dir.resolve("a/photos.tsv"));
    List<String> b = Files.readAllLines(dir.resolve("b/photos.tsv"));
    for (int i = 1; i < a.size(); i++) {
      String rel = a.get(i).split("\t")[2];
      String url = b.get(i).split("\t")[2];
      assertTrue(url.startsWith("file:/") && url.endsWith(rel), url);
      assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(rel)),
          Files.readAllBytes(Path.of(java.net.URI.create(url))), rel);
    }
  }

  @Test
  void progressReportsRowsRateEtaAndTasks() throws Exception {
    var rows = spark.sparkContext().longAccumulator("rows");
    var bytes = new java.io.ByteArrayOutputStream();
    var err = new java.io.PrintStream(bytes, true);
    try (var p = org.pdm.core.progress.SparkProgress.start(spark, "slow", 8, rows, java.time.Duration.ofMillis(200),
        true, err)) {
      org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 4)
          .foreach(i -> {
            Thread.sleep(250);
            rows.add(1);
          });
    }
    String printed = bytes.toString();
    assertTrue(printed.matches("(?s).*slow: \\d+/8 rows, [0-9.]+ rows/s.*tasks \\d+/\\d+.*"), printed);
    assertTrue(printed.contains("ETA"), printed);
  }

  @Test
  void peopleArePortraitSized(@TempDir Path dir) throws Exception {
    StageResult r = SynthJob.run(spark, config.with("synth.kind=people", "synth.min-size=64x64", "synth.count=4"),
        dir.resolve("p").toString(), false);
    assertEquals(4L, r.counts().get("images"));
    List<String> tsv = Files.readAllLines(dir.resolve("p/photos.tsv"));
    assertTrue(tsv.get(1).contains("portrait"));
  }
}
