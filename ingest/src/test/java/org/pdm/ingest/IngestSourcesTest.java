package org.pdm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.stage.StageResult;
import org.pdm.ingest.source.Licenses;

/**
 * Every source read from pdm synth's output (files beside the manifests, read through file: URLs),
 * with the metadata filters: each item ends stored or rejected for the rule it breaks.
 */
class IngestSourcesTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static Path synth;
  /** photo id -> {width, height} from photos.tsv */
  static Map<String, int[]> sizes = new TreeMap<>();

  @BeforeAll
  static void setUp() throws Exception {
    spark = TestData.spark();
    synth = TestData.synth(spark, tmp.resolve("synth"), 12, 0.25, "scapes");
    List<String> lines = Files.readAllLines(synth.resolve("photos.tsv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      sizes.put(f[0], new int[] {Integer.parseInt(f[5]), Integer.parseInt(f[6])});
    }
  }

  private static StageResult ingest(String source, Path out, String... more) throws Exception {
    String[] base = {"ingest.source=" + source, "ingest.out=\"" + out + "\"", "ingest.download.allow-file-urls=true"};
    String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
        .toArray(String[]::new);
    return IngestJob.run(spark, TestData.base(all), false);
  }

  private static boolean fits(int[] wh) {
    return wh[0] >= 64 && wh[1] >= 32 && wh[0] > wh[1];
  }

  @Test
  void unsplashRelativeUrlsAndSizeFilters() throws Exception {
    // Unsplash ships photos.tsv000, photos.tsv001, ...: each file has its own header.
    List<String> lines = Files.readAllLines(synth.resolve("photos.tsv"));
    int half = lines.size() / 2;
    Files.write(synth.resolve("photos.tsv000"), lines.subList(0, half));
    List<String> second = new java.util.ArrayList<>(List.of(lines.get(0)));
    second.addAll(lines.subList(half, lines.size()));
    Files.write(synth.resolve("photos.tsv001"), second);
    Path out = tmp.resolve("unsplash");
    ingest("unsplash", out, "ingest.inputs=[\"" + synth.resolve("photos.tsv0") + "*\"]", "ingest.filter.min-width=64",
        "ingest.filter.min-height=32", "ingest.filter.orientation=landscape", "ingest.filter.licenses=[unsplash]");
    Map<String, String> expected = new TreeMap<>();
    sizes.forEach((id, wh) -> expected.put("unsplash:" + id, !(wh[0] >= 64 && wh[1] >= 32) ? "filtered:min-size"
        : wh[0] > wh[1] ? "stored" : "filtered:orientation"));
    assertEquals(expected, TestData.outcomes(spark, out));
    assertTrue(expected.containsValue("filtered:min-size") || expected.containsValue("filtered:orientation"),
        "synth made some off-spec images");
    Row r = spark.read().parquet(out.resolve("raw").toString()).first();
    assertEquals("unsplash", r.getAs("license"));
    assertTrue(r.<String>getAs("author").startsWith("synth_"));
    assertTrue(r.<String>getAs("caption").startsWith("synthetic landscape"));
    assertTrue(r.getJavaMap(r.fieldIndex("extra")).containsKey("photo_url"));
  }

  @Test
  void aRunThatStoresNothingLeavesAnEmptyReadableRawDataset() throws Exception {
    Path out = tmp.resolve("nothing");
    StageResult r = ingest("flickr", out, "ingest.inputs=[\"" + synth.resolve("flickr.csv") + "\"]",
        "ingest.filter.min-width=100000");
    org.junit.jupiter.api.Assertions.assertEquals(0L, r.counts().get("stored"));
    var raw = spark.read().parquet(out.resolve("raw").toString());
    org.junit.jupiter.api.Assertions.assertEquals(0L, raw.count());
    org.junit.jupiter.api.Assertions.assertEquals(java.util.Arrays.asList(
        org.pdm.core.schema.RawImageSchema.SCHEMA.fieldNames()), java.util.Arrays.asList(raw.schema().fieldNames()));
  }

  @Test
  void flickrLicensesAndVideos() throws Exception {
    Path out = tmp.resolve("flickr");
    ingest("flickr", out, "ingest.inputs=[\"" + synth.resolve("flickr.csv") + "\"]",
        "ingest.filter.licenses=[cc-by, cc0, public-domain]");
    Map<String, String> expected = new TreeMap<>();
    List<String> lines = Files.readAllLines(synth.resolve("flickr.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1); // id,owner,"title",license,media,url_o,width_o,height_o,tags
      String license = Licenses.flickr(f[3]);
      expected.put("flickr:" + f[0], f[4].equals("video") ? "filtered:media"
          : List.of("cc-by", "cc0", "public-domain").contains(license) ? "stored" : "filtered:license");
    }
    assertEquals(expected, TestData.outcomes(spark, out));

    // The same export as JSON lines (numbers as numbers), with url_k as the only size.
    StringBuilder jsonl = new StringBuilder();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      jsonl.append(String.format("{\"id\": \"%s\", \"owner\": \"%s\", \"title\": %s, \"license\": %s, \"media\": \"%s\", "
          + "\"url_k\": \"%s\", \"width_k\": %s, \"height_k\": %s}%n", f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]));
    }
    Path json = synth.resolve("flickr.jsonl");
    Files.writeString(json, jsonl);
    Path outJson = tmp.resolve("flickr-json");
    ingest("flickr", outJson, "ingest.inputs=[\"" + json + "\"]", "ingest.filter.licenses=[cc-by, cc0, public-domain]");
    assertEquals(expected, TestData.outcomes(spark, outJson));

    // A folder of exports, as the docs show (--in exports/): each file read by its own extension.
    Path folder = tmp.resolve("flickr-exports");
    Files.createDirectories(folder.resolve("2024"));
    Files.copy(json, folder.resolve("2024").resolve("flickr.jsonl"));
    Files.writeString(folder.resolve("_SUCCESS"), "");
    Path outFolder = tmp.resolve("flickr-folder");
    ingest("flickr", outFolder, "ingest.inputs=[\"" + folder + "\"]", "ingest.filter.licenses=[cc-by, cc0, public-domain]",
        "ingest.url-base=\"" + synth.toUri() + "\"");
    assertEquals(expected, TestData.outcomes(spark, outFolder));
  }

  @Test
  void yfccDumpWithVideosAndSizesCheckedAfterDownload() throws Exception {
    StringBuilder tsv = new StringBuilder();
    int line = 0;
    Map<String, String> expected = new TreeMap<>();
    for (Map.Entry<String, int[]> e : sizes.entrySet()) {
      line++;
      Path file = synth.resolve("images").resolve(e.getKey() + ".jpg");
      String url = (Files.exists(file) ? file : synth.resolve("images").resolve(e.getKey() + ".png")).toUri().toString();
      boolean video = line == 3;
      String licenseUrl = line % 2 == 0 ? "http://creativecommons.org/licenses/by-nc-sa/2.0/"
          : "http://creativecommons.org/licenses/by/2.0/";
      String[] cols = new String[25];
      java.util.Arrays.fill(cols, "");
      cols[0] = Integer.toString(line);
      cols[1] = "9" + line;
      cols[4] = "nick" + line;
      cols[8] = "a+title%21";
      cols[16] = url;
      cols[17] = line % 2 == 0 ? "Attribution-NonCommercial-ShareAlike License" : "Attribution License";
      cols[18] = licenseUrl;
      cols[24] = video ? "1" : "0";
      tsv.append(String.join("\t", cols)).append('\n');
      String outcome = video ? "filtered:media" : line % 2 == 0 ? "filtered:license"
          : (e.getValue()[0] >= 100 ? "stored" : "filtered:min-size");
      expected.put("yfcc:9" + line, outcome);
    }
    Path dump = tmp.resolve("yfcc100m_dataset.tsv");
    Files.writeString(dump, tsv);
    Path out = tmp.resolve("yfcc");
    ingest("yfcc", out, "ingest.inputs=[\"" + dump + "\"]", "ingest.filter.licenses=[cc-by]",
        "ingest.filter.min-width=100");
    assertEquals(expected, TestData.outcomes(spark, out));
    if (expected.containsValue("stored")) {
      Row r = spark.read().parquet(out.resolve("raw").toString()).first();
      assertEquals("a title!", r.getAs("caption"));
      assertEquals("cc-by", r.getAs("license"));
    }
  }

  @Test
  void urlListsInJsonLinesAndParquet() throws Exception {
    StringBuilder jsonl = new StringBuilder();
    for (String id : sizes.keySet()) {
      Path f = synth.resolve("images").resolve(id + ".jpg");
      if (!Files.exists(f)) {
        f = synth.resolve("images").resolve(id + ".png");
      }
      jsonl.append("{\"u\": \"").append(f.toUri()).append("\", \"key\": \"").append(id)
          .append("\", \"alt\": \"alt ").append(id).append("\", \"score\": 0.5}\n");
    }
    Path json = tmp.resolve("list.jsonl");
    Files.writeString(json, jsonl);
    Path parquet = tmp.resolve("list.parquet");
    spark.read().json(json.toString()).write().parquet(parquet.toString());
    Path folder = tmp.resolve("lists");
    Files.createDirectories(folder);
    Files.copy(json, folder.resolve("part-1.jsonl")); // a folder of JSON lines: read by each file's extension
    for (Path in : List.of(json, parquet, folder)) {
      Path out = tmp.resolve("urls-" + in.getFileName());
      ingest("urls", out, "ingest.inputs=[\"" + in + "\"]", "ingest.urls.url-column=u", "ingest.urls.id-column=key",
          "ingest.urls.caption-column=alt");
      Map<String, String> outcomes = TestData.outcomes(spark, out);
      assertEquals(sizes.size(), outcomes.size());
      assertTrue(outcomes.values().stream().allMatch("stored"::equals), outcomes.toString());
      Row r = spark.read().parquet(out.resolve("raw").toString()).filter("source_id = '" + sizes.keySet().iterator().next()
          + "'").first();
      assertTrue(r.<String>getAs("caption").startsWith("alt "));
      assertEquals("0.5", r.getJavaMap(r.fieldIndex("extra")).get("score"));
    }
  }

  /** (id, reason) of every reject row, sorted: unlike {@link TestData#outcomes}, keeps repeated ids. */
  private static List<String> rejectRows(Path out) {
    return spark.read().schema(org.pdm.ingest.write.RejectSchema.SCHEMA).parquet(out.resolve("rejects").toString())
        .select("id", "reason").collectAsList().stream().map(r -> r.getString(0) + " " + r.getString(1)).sorted()
        .toList();
  }

  @Test
  void badRowsKeepOneRejectEachAcrossReruns() throws Exception {
    List<Path> images = TestData.images(synth);
    String first = images.get(0).toUri().toString();
    String second = images.get(1).toUri().toString(); // sorts after the first: the first row of id 1 wins
    Path csv = tmp.resolve("bad-rows.csv");
    Files.writeString(csv, "id,owner,title,license,media,url_o,width_o,height_o\n"
        + "1,a,\"kept\",4,photo," + first + ",,\n"
        + "1,a,\"same id\",4,photo," + second + ",,\n"
        + "2,a,\"gone\",1,photo,file:/nonexistent/pdm-missing.jpg,,\n"
        + ",,,,,,,\n"
        + ",,,,,,,\n");
    Path out = tmp.resolve("bad-rows");
    List<String> expected = List.of("flickr:1 duplicate-id", "flickr:2 missing-file",
        "flickr:row-unidentified invalid:no-url", "flickr:row-unidentified invalid:no-url");

    StageResult r1 = ingest("flickr", out, "ingest.inputs=[\"" + csv + "\"]");
    assertEquals(expected, rejectRows(out), "blank rows have no URL, whatever their (missing) id");
    assertEquals(List.of(5L, 3L, 0L, 2L, 1L), List.of(r1.counts().get("items"), r1.counts().get("filtered"),
        r1.counts().get("already-done"), r1.counts().get("downloaded"), r1.counts().get("stored")));

    // A rerun with a license filter that item 2 breaks: its download reject stands (no second reject
    // for it), and the row that repeats the stored id 1 stays in the rejects.
    StageResult r2 = ingest("flickr", out, "ingest.inputs=[\"" + csv + "\"]", "ingest.filter.licenses=[cc-by]");
    assertEquals(expected, rejectRows(out));
    assertEquals(List.of(5L, 3L, 2L, 0L, 0L), List.of(r2.counts().get("items"), r2.counts().get("filtered"),
        r2.counts().get("already-done"), r2.counts().get("downloaded"), r2.counts().get("stored")));
  }

  @Test
  void aManifestOfAnotherSourceStopsWithTheSetting() {
    // Read as the wrong source, every row would be rejected as invalid:no-url and the run "succeed".
    var unsplash = org.junit.jupiter.api.Assertions.assertThrows(org.pdm.core.config.ConfigError.class,
        () -> ingest("unsplash", tmp.resolve("wrong-unsplash"), "ingest.inputs=[\"" + synth.resolve("flickr.csv") + "\"]"));
    assertTrue(unsplash.getMessage().startsWith("pdm.ingest.source = unsplash: "), unsplash.getMessage());
    assertTrue(unsplash.getMessage().contains("has no column photo_image_url"), unsplash.getMessage());
    var flickr = org.junit.jupiter.api.Assertions.assertThrows(org.pdm.core.config.ConfigError.class,
        () -> ingest("flickr", tmp.resolve("wrong-flickr"), "ingest.inputs=[\"" + synth.resolve("photos.tsv") + "\"]"));
    assertTrue(flickr.getMessage().startsWith("pdm.ingest.flickr.url-columns = [url_o, url_k, url_h, url_l]: "),
        flickr.getMessage());
  }

  @Test
  void filesFromAGlob() throws Exception {
    Path out = tmp.resolve("files");
    ingest("files", out, "ingest.inputs=[\"" + synth.resolve("images") + "\"]", "ingest.download.allow-file-urls=false");
    Map<String, String> outcomes = TestData.outcomes(spark, out);
    assertEquals(sizes.size(), outcomes.size());
    assertTrue(outcomes.values().stream().allMatch("stored"::equals), outcomes.toString());
  }
}
