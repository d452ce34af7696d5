package org.pdm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.schema.RawImageSchema;
import org.pdm.core.stage.StageResult;

/** The whole stage against a fault-injecting server: the exact outcome of every item. */
class IngestHttpTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static FaultServer server;
  static List<Path> images;

  @BeforeAll
  static void setUp() throws Exception {
    spark = TestData.spark();
    Path synth = TestData.synth(spark, tmp.resolve("synth"), 16, 0, "scapes");
    images = TestData.images(synth);
    server = new FaultServer(synth.resolve("images"));
  }

  @AfterAll
  static void tearDown() {
    server.close();
  }

  private String name(int i) {
    return images.get(i).getFileName().toString();
  }

  @Test
  void everyFaultEndsWithItsOwnOutcome() throws Exception {
    // id -> (path on the server, expected outcome)
    Map<String, String[]> plan = new LinkedHashMap<>();
    plan.put("ok0", new String[] {"img/" + name(0), "stored"});
    plan.put("ok1", new String[] {"img/" + name(1), "stored"});
    plan.put("missing", new String[] {"404/" + name(2), "http-status"});
    plan.put("flaky", new String[] {"flaky500/" + name(3), "stored"});
    plan.put("limited", new String[] {"429/" + name(4), "stored"});
    plan.put("slow", new String[] {"slow/" + name(5), "timeout"});
    plan.put("cut", new String[] {"truncated/" + name(6), "truncated"});
    plan.put("html", new String[] {"html/" + name(7), "not-image"});
    plan.put("huge", new String[] {"huge/" + name(8), "too-large"});
    plan.put("loop", new String[] {"loop/0", "too-many-redirects"});
    plan.put("moved", new String[] {"redirect/" + name(9), "stored"});
    plan.put("noai", new String[] {"robots/" + name(10), "robots"});
    plan.put("ours", new String[] {"robots-ours/" + name(11), "robots"});
    plan.put("other", new String[] {"robots-other/" + name(12), "stored"});
    plan.put("ok0-copy", new String[] {"redirect/" + name(0), "duplicate"}); // same bytes as ok0, which sorts first
    plan.put("empty", new String[] {"", "invalid:no-url"});
    StringBuilder csv = new StringBuilder("key,link,text\n");
    plan.forEach((id, v) -> csv.append(id).append(',').append(v[0].isEmpty() ? "" : server.base() + v[0])
        .append(",caption ").append(id).append('\n'));
    Path list = tmp.resolve("faults.csv");
    Files.writeString(list, csv);
    Path out = tmp.resolve("out-faults");
    String[] conf = {"ingest.source=urls", "ingest.inputs=[\"" + list + "\"]", "ingest.out=\"" + out + "\"",
        "ingest.urls.url-column=link", "ingest.urls.id-column=key", "ingest.urls.caption-column=text",
        "ingest.download.max-bytes=1MiB", "ingest.download.retries=2", "ingest.download.max-redirects=3"};

    StageResult first = IngestJob.run(spark, TestData.base(conf), false);
    Map<String, String> expected = new TreeMap<>();
    plan.forEach((id, v) -> expected.put("urls:" + id, v[1]));
    assertEquals(expected, TestData.outcomes(spark, out));
    assertEquals(6, first.counts().get("stored"));
    assertEquals(1, first.counts().get("duplicates"));

    // Retries: 500 and 429 once each, then success; a 404 is not retried; a loop stops at 3 redirects.
    assertEquals(2, server.hits("/flaky500/" + name(3)));
    assertEquals(2, server.hits("/429/" + name(4)));
    assertEquals(1, server.hits("/404/" + name(2)));
    assertEquals(1, server.hits("/loop/3"));
    assertEquals(0, server.hits("/loop/4"));
    assertTrue(server.userAgents.get("/img/" + name(0)).contains("token pdm"));

    // The raw rows: the schema preprocess reads, bytes equal to the file, header sizes, captions.
    Row ok = spark.read().parquet(out.resolve("raw").toString()).filter("id = 'urls:ok0'").first();
    byte[] bytes = Files.readAllBytes(images.get(0));
    assertEquals(bytes.length, ok.<Long>getAs("byte_size"));
    assertTrue(java.util.Arrays.equals(bytes, ok.<byte[]>getAs("image")));
    assertEquals(ItemProcessor.sha256(bytes), ok.getAs("sha256"));
    assertEquals("caption ok0", ok.getAs("caption"));
    assertEquals("ok0", ok.getAs("source_id"));
    java.awt.image.BufferedImage decoded = javax.imageio.ImageIO.read(images.get(0).toFile());
    assertEquals(decoded.getWidth(), ok.<Integer>getAs("width"));
    assertEquals(decoded.getHeight(), ok.<Integer>getAs("height"));
    assertEquals(List.of(RawImageSchema.SCHEMA.fieldNames()),
        List.of(spark.read().parquet(out.resolve("raw").toString()).schema().fieldNames()));
    Row cut = spark.read().parquet(out.resolve("rejects").toString()).filter("id = 'urls:missing'").first();
    assertEquals(404, cut.<Integer>getAs("http_status"));
    assertTrue(Files.exists(out.resolve("stats.json")));

    // A rerun with the same manifest is skipped; after the manifest is touched (a new fingerprint) a
    // rerun reads it again but downloads nothing, since every item is stored or rejected.
    int hitsBefore = server.totalHits();
    StageResult again = IngestJob.run(spark, TestData.base(conf), false);
    assertTrue(again.skipped());
    Files.writeString(list, csv); // new modification time: the fingerprint changes
    list.toFile().setLastModified(System.currentTimeMillis() + 5000);
    StageResult third = IngestJob.run(spark, TestData.base(conf), false);
    assertEquals(0, third.counts().get("downloaded"));
    assertEquals(server.totalHits(), hitsBefore);
    assertEquals(expected, TestData.outcomes(spark, out));
  }

  @Test
  void refusesTheLocalNetworkAndFileUrlsByDefault() throws Exception {
    Path list = tmp.resolve("crafted.csv");
    Files.writeString(list, "url\n" + server.base() + "img/" + name(13) + "\nfile:///etc/passwd\n");
    Path out = tmp.resolve("out-crafted");
    int before = server.totalHits();
    IngestJob.run(spark, TestData.base("ingest.source=urls", "ingest.inputs=[\"" + list + "\"]",
        "ingest.out=\"" + out + "\"", "ingest.download.allow-private-addresses=false"), false);
    assertEquals(List.of("refused-address", "refused-scheme"),
        TestData.outcomes(spark, out).values().stream().sorted().toList());
    assertEquals(before, server.totalHits());
  }
}
