package org.pdm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.stage.StageResult;
import org.pdm.ingest.write.RejectSchema;

/**
 * Rows no parser can use, in every source that reads text: each run completes, stores the good rows,
 * and rejects each bad one with its reason and detail; blank lines are counted, zero-byte files rejected.
 */
class BadRowsTest {
  /** A URL with spaces in the scheme and host, and a relative path that reads as an absolute URI. */
  static final String SPACES = "ht tp://exa mple/x.jpg";
  static final String COLON = "Photo 1: sunset.jpg";

  @TempDir
  static Path tmp;
  static SparkSession spark;
  static Path synth;
  static List<String> good;

  @BeforeAll
  static void setUp() throws Exception {
    spark = TestData.spark();
    synth = TestData.synth(spark, tmp.resolve("synth"), 3, 0, "scapes");
    good = TestData.images(synth).stream().limit(2).map(p -> p.toUri().toString()).toList();
  }

  private static StageResult ingest(String source, Path in, Path out, String... more) throws Exception {
    List<String> all = new ArrayList<>(List.of("ingest.source=" + source, "ingest.inputs=[\"" + in + "\"]",
        "ingest.out=\"" + out + "\"", "ingest.download.allow-file-urls=true"));
    all.addAll(List.of(more));
    return IngestJob.run(spark, TestData.base(all.toArray(String[]::new)), false);
  }

  /** id -> "reason: detail" of every reject. */
  private static Map<String, String> rejects(Path out) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : spark.read().schema(RejectSchema.SCHEMA).parquet(out.resolve("rejects").toString())
        .select("id", "reason", "detail").collectAsList()) {
      m.put(r.getString(0), r.getString(1) + ": " + r.getString(2));
    }
    return m;
  }

  /** Two good rows stored; ids bad1 and bad2 are bad-url rejects whose detail is the parser's message. */
  private static void assertTwoStoredTwoBad(String source, StageResult r, Path out) {
    Map<String, String> outcomes = TestData.outcomes(spark, out);
    assertEquals(2, outcomes.values().stream().filter("stored"::equals).count(), outcomes.toString());
    Map<String, String> rejects = rejects(out);
    for (String id : List.of(source + ":bad1", source + ":bad2")) {
      String reject = rejects.get(id);
      assertNotNull(reject, id + " in " + rejects);
      assertTrue(reject.startsWith("bad-url: ") && reject.length() > "bad-url: ".length() + 5, reject);
    }
    assertTrue(rejects.get(source + ":bad1").contains("ht tp"), rejects.toString());
    assertEquals(2L, r.counts().get("stored"));
  }

  @Test
  void urlListsInEveryFormat() throws Exception {
    String csv = "url,id\n" + good.get(0) + ",g1\n\n" + SPACES + ",bad1\n" + COLON + ",bad2\n   \n" + good.get(1) + ",g2\n";
    Path csvFile = tmp.resolve("list.csv");
    Files.writeString(csvFile, csv);
    Path tsvFile = tmp.resolve("list.tsv");
    Files.writeString(tsvFile, csv.replace(',', '\t'));
    StringBuilder jsonl = new StringBuilder();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",");
      if (f.length == 2 && !f[0].equals("url")) {
        jsonl.append("{\"url\": \"").append(f[0]).append("\", \"id\": \"").append(f[1]).append("\"}\n\n");
      }
    }
    Path jsonFile = tmp.resolve("list.jsonl");
    Files.writeString(jsonFile, jsonl);
    Path parquet = tmp.resolve("list.parquet");
    spark.read().json(jsonFile.toString()).write().parquet(parquet.toString());
    Map<Path, Long> blanks = Map.of(csvFile, 2L, tsvFile, 2L, jsonFile, 4L, parquet, 0L);
    for (Path in : List.of(csvFile, tsvFile, jsonFile, parquet)) {
      Path out = tmp.resolve("urls-" + in.getFileName());
      StageResult r = ingest("urls", in, out, "ingest.urls.id-column=id");
      assertTwoStoredTwoBad("urls", r, out);
      assertEquals(blanks.get(in), r.counts().get("skipped-blank-lines"), in.toString());
    }
    // A rerun is not stopped by them either, and leaves one reject each.
    Path out = tmp.resolve("urls-" + csvFile.getFileName());
    StageResult again = ingest("urls", csvFile, out, "ingest.urls.id-column=id", "ingest.filter.min-width=1");
    assertEquals(4, TestData.outcomes(spark, out).size());
    assertEquals(0L, again.counts().get("downloaded"));
  }

  @Test
  void unsplashWithoutAndWithUrlBase() throws Exception {
    List<String> lines = Files.readAllLines(synth.resolve("photos.tsv"));
    List<String> out = new ArrayList<>(lines.subList(0, 3));
    out.add("");
    out.add(withField(lines.get(1), '\t', 0, "bad1", 2, SPACES));
    out.add(withField(lines.get(1), '\t', 0, "bad2", 2, COLON));
    Path tsv = synth.resolve("photos-bad.tsv");
    Files.write(tsv, out);
    Path o1 = tmp.resolve("unsplash");
    StageResult r = ingest("unsplash", tsv, o1);
    assertTwoStoredTwoBad("unsplash", r, o1);
    assertEquals(1L, r.counts().get("skipped-blank-lines"));
    Path o2 = tmp.resolve("unsplash-base");
    assertTwoStoredTwoBad("unsplash", ingest("unsplash", tsv, o2, "ingest.url-base=\"" + synth.toUri() + "\""), o2);
  }

  @Test
  void flickrCsvAndJsonLines() throws Exception {
    List<String> lines = Files.readAllLines(synth.resolve("flickr.csv"));
    // id,owner,"title",license,media,url_o,width_o,height_o,tags: licenses and media vary, so all rows
    // are made photos under license 4 (cc-by).
    List<String> rows = new ArrayList<>(List.of(lines.get(0)));
    rows.add(withField(withField(lines.get(1), ',', 0, "g1", 5, good.get(0)), ',', 3, "4", 4, "photo"));
    rows.add(withField(withField(lines.get(1), ',', 0, "g2", 5, good.get(1)), ',', 3, "4", 4, "photo"));
    rows.add("  ");
    rows.add(withField(withField(lines.get(1), ',', 0, "bad1", 5, SPACES), ',', 3, "4", 4, "photo"));
    rows.add(withField(withField(lines.get(1), ',', 0, "bad2", 5, COLON), ',', 3, "4", 4, "photo"));
    Path csv = tmp.resolve("flickr-bad.csv");
    Files.write(csv, rows);
    Path o1 = tmp.resolve("flickr-csv");
    StageResult r = ingest("flickr", csv, o1);
    assertTwoStoredTwoBad("flickr", r, o1);
    assertEquals(1L, r.counts().get("skipped-blank-lines"));

    StringBuilder jsonl = new StringBuilder();
    for (String line : rows.subList(1, rows.size())) {
      String[] f = line.split(",", -1);
      if (f.length > 5) {
        jsonl.append(String.format("{\"id\": \"%s\", \"license\": \"4\", \"media\": \"photo\", \"url_o\": \"%s\"}%n",
            f[0], f[5]));
      }
    }
    Path json = tmp.resolve("flickr-bad.jsonl");
    Files.writeString(json, jsonl + "\n{\"id\": \"bad3\", \"url_o\": \"http:///no-host.jpg\", \"width_o\": \"wide\"}\n");
    Path o2 = tmp.resolve("flickr-json");
    StageResult rj = ingest("flickr", json, o2);
    assertTwoStoredTwoBad("flickr", rj, o2);
    assertTrue(rejects(o2).get("flickr:bad3").startsWith("bad-url: no host"), rejects(o2).toString());
    assertEquals(1L, rj.counts().get("skipped-blank-lines"));
  }

  @Test
  void yfccDump() throws Exception {
    StringBuilder tsv = new StringBuilder();
    String[][] rows = {{"g1", good.get(0)}, {"g2", good.get(1)}, {"bad1", SPACES}, {"bad2", COLON}};
    for (String[] row : rows) {
      String[] cols = new String[25];
      java.util.Arrays.fill(cols, "");
      cols[1] = row[0];
      cols[16] = row[1];
      cols[24] = "0";
      tsv.append(String.join("\t", cols)).append("\n\n");
    }
    Path dump = tmp.resolve("yfcc-bad.tsv");
    Files.writeString(dump, tsv);
    Path out = tmp.resolve("yfcc");
    StageResult r = ingest("yfcc", dump, out);
    assertTwoStoredTwoBad("yfcc", r, out);
    assertEquals(4L, r.counts().get("skipped-blank-lines"));
  }

  @Test
  void filesKeepsOrRejectsEveryFileEmptyOnesIncluded() throws Exception {
    Path folder = tmp.resolve("photos");
    Files.createDirectories(folder.resolve("sub"));
    List<Path> images = TestData.images(synth);
    Files.copy(images.get(0), folder.resolve("a b.jpg"));
    Files.copy(images.get(1), folder.resolve("sub").resolve(images.get(1).getFileName()));
    Files.copy(images.get(2), folder.resolve(COLON));
    Files.write(folder.resolve("empty.jpg"), new byte[0]);
    Files.write(folder.resolve("sub").resolve("empty too.png"), new byte[0]);
    Path out = tmp.resolve("files");
    StageResult r = ingest("files", folder, out, "ingest.download.allow-file-urls=false");
    Map<String, String> outcomes = TestData.outcomes(spark, out);
    assertEquals(5, outcomes.size(), outcomes.toString());
    assertEquals(5L, r.counts().get("items"));
    Map<String, String> rejects = rejects(out);
    assertEquals(3L, r.counts().get("stored"), rejects.toString());
    assertEquals(2, rejects.size(), rejects.toString());
    assertTrue(rejects.values().stream().allMatch("empty-file: 0 bytes"::equals), rejects.toString());
    assertTrue(rejects.keySet().stream().anyMatch(id -> id.endsWith("sub/empty too.png")), rejects.toString());
  }

  /** The line with field {@code i} set to {@code a} and field {@code j} to {@code b}. */
  private static String withField(String line, char sep, int i, String a, int j, String b) {
    String[] f = line.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
    f[i] = a;
    f[j] = b;
    return String.join(String.valueOf(sep), f);
  }
}
