package org.pdm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.StageResult;
import org.pdm.ingest.source.SourceItem;

/**
 * A manifest that grows between scheduled runs, a run interrupted after some tasks wrote their
 * checkpoints, and a forced rerun: nothing downloaded twice, nothing lost, nothing duplicated.
 */
class IncrementalTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static FaultServer server;
  static List<String> names;

  @BeforeAll
  static void setUp() throws Exception {
    spark = TestData.spark();
    Path synth = TestData.synth(spark, tmp.resolve("synth"), 14, 0, "people");
    names = TestData.images(synth).stream().map(p -> p.getFileName().toString()).toList();
    server = new FaultServer(synth.resolve("images"));
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  private static void writeList(Path list, int n) throws Exception {
    StringBuilder csv = new StringBuilder("url\n");
    for (int i = 0; i < n; i++) {
      csv.append(server.base()).append("img/").append(names.get(i)).append('\n');
    }
    Files.writeString(list, csv);
    list.toFile().setLastModified(System.currentTimeMillis() + n * 1000L);
  }

  private static PdmConfig conf(Path list, Path out) {
    return TestData.base("ingest.source=urls", "ingest.inputs=[\"" + list + "\"]", "ingest.out=\"" + out + "\"",
        "ingest.checkpoint-items=1");
  }

  @Test
  void growsResumesAndStartsOver() throws Exception {
    Path list = tmp.resolve("urls.csv");
    Path out = tmp.resolve("out");

    writeList(list, 6);
    StageResult first = IngestJob.run(spark, conf(list, out), false);
    assertEquals(6, first.counts().get("stored"));
    assertEquals(6, server.totalHits());

    // The manifest grew: only the new items are fetched, and appended.
    writeList(list, 10);
    StageResult second = IngestJob.run(spark, conf(list, out), false);
    assertEquals(4, second.counts().get("downloaded"));
    assertEquals(6, second.counts().get("already-done"));
    assertEquals(10, server.totalHits());
    assertEquals(10, second.counts().get("images-total"));

    // A run that died after two of its tasks' checkpoints were written (and left a half-written
    // file): simulated by running the download task by hand on two new items, as an executor would.
    writeList(list, 14);
    PdmConfig conf = conf(list, out);
    IngestConfig c = IngestConfig.from(conf);
    List<Row> fresh = spark.read().option("header", "true").csv(list.toString()).collectAsList();
    List<Row> two = new ArrayList<>();
    for (Row r : org.pdm.ingest.source.SourceReader.forSource("urls", "", c.urls(), c.flickrUrlColumns(), "")
        .read(spark, List.of(list.toString())).collectAsList()) {
      String url = r.getString(3);
      if (url.endsWith(names.get(10)) || url.endsWith(names.get(11))) {
        two.add(r);
      }
    }
    assertEquals(2, two.size());
    assertEquals(14, fresh.size());
    LongAccumulator acc = spark.sparkContext().longAccumulator();
    DownloadTask task = new DownloadTask(c, out.resolve("pending").toUri().toString(), "20000101T000000Z-dead00",
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()), acc);
    Iterator<TaskReport> report = task.call(two.iterator());
    assertEquals(2, report.next().items);
    Files.writeString(out.resolve("pending").resolve(".raw-half-written.tmp"), "garbage");
    assertEquals(12, server.totalHits());

    StageResult third = IngestJob.run(spark, conf, false);
    assertEquals(2, third.counts().get("downloaded"));
    assertEquals(2, third.counts().get("resumed"));
    assertEquals(4, third.counts().get("stored"));
    assertEquals(14, server.totalHits()); // the two checkpointed items were not fetched again
    assertEquals(1, server.hits("/img/" + names.get(10)));
    Map<String, String> outcomes = TestData.outcomes(spark, out);
    assertEquals(14, outcomes.size());
    assertTrue(outcomes.values().stream().allMatch("stored"::equals));
    try (var pending = Files.list(out.resolve("pending"))) {
      assertFalse(pending.findAny().isPresent(), "checkpoints are gone once committed");
    }

    // Unchanged inputs and configuration: skipped without any Spark work.
    assertTrue(IngestJob.run(spark, conf, false).skipped());

    // --force starts over beside the old output and swaps it in.
    StageResult forced = IngestJob.run(spark, conf, true);
    assertFalse(forced.skipped());
    assertEquals(14, forced.counts().get("stored"));
    assertEquals(28, server.totalHits());
    assertEquals(14, TestData.outcomes(spark, out).size());
    assertEquals(14, spark.read().parquet(out.resolve("raw").toString()).select("sha256").distinct().count());
    assertTrue(Files.exists(out.resolve("_manifest.json")));
    assertTrue(SourceItem.SCHEMA.fieldNames().length > 0);
    // One fingerprint and one manifest writer for both paths: the forced manifest has the step
    // timings, and a plain rerun after --force is skipped.
    for (String step : new String[] {"read", "plan", "download", "commit", "total"}) {
      assertTrue(forced.manifest().timingsSeconds().containsKey(step), step + " in " + forced.manifest().timingsSeconds());
    }
    assertTrue(IngestJob.run(spark, conf, false).skipped(), "a plain rerun after --force is skipped");
    assertEquals(28, server.totalHits());
  }
}
