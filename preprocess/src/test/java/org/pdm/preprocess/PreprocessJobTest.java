package org.pdm.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.schema.RawImageSchema;
import org.pdm.core.stage.StageResult;

/** The whole stage on small inputs, on one shared local[2] session. */
class PreprocessJobTest {
  private static SparkSession spark;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("preprocess-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static PdmConfig config(String... more) {
    List<String> o = new ArrayList<>(List.of("preprocess.preset=custom", "preprocess.custom.size=\"128x64\"",
        "preprocess.custom.min-size=\"128x64\"", "preprocess.custom.orientation=landscape", "progress.enabled=false",
        "preprocess.output.rows-per-file=3", "preprocess.contact-sheet.thumb-size=64",
        // The copy below is 4 to 6 bits from its original (JPEG vs PNG, other noise); unrelated
        // test pictures are 22 or more apart.
        "preprocess.filters.dedupe-distance=8"));
    o.addAll(List.of(more));
    return PdmConfig.defaults().with(o.toArray(new String[0]));
  }

  /** Fourteen files: six distinct good pictures, one near-duplicate, and one of each kind of bad input. */
  private static Map<String, byte[]> inputs() throws Exception {
    Map<String, byte[]> files = new java.util.TreeMap<>();
    for (int i = 0; i < 6; i++) {
      files.put("good/" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(320 + 10 * i, 180, 100 + i), 0.92f, false));
    }
    // The same picture as good/2 (340x180), larger and as PNG: a near-duplicate; the larger is kept.
    files.put("good/2-copy.png", TestImages.write(TestImages.photoLike(480, 254, 102), "png"));
    byte[] cut = TestImages.jpeg(TestImages.photoLike(300, 200, 9), 0.9f, false);
    files.put("bad/truncated.jpg", java.util.Arrays.copyOf(cut, cut.length / 2));
    files.put("bad/bomb.png", TestImages.pngBombHeader(50_000, 50_000));
    files.put("bad/notes.txt", "not a picture".getBytes());
    files.put("bad/portrait.png", TestImages.write(TestImages.photoLike(180, 320, 7), "png"));
    files.put("bad/tiny.png", TestImages.write(TestImages.photoLike(100, 50, 8), "png"));
    files.put("bad/empty.jpg", new byte[0]);
    // A name Hadoop cannot make a checksum path of: read and judged all the same.
    files.put("bad/Photo 1: tiny.png", TestImages.write(TestImages.photoLike(100, 50, 8), "png"));
    return files;
  }

  private static String writeFolder(Map<String, byte[]> files) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "images");
    for (var e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    return dir.toString();
  }

  @Test
  void turnsAFolderOfImagesIntoADatasetRejectsStatsAndASheet() throws Exception {
    String in = writeFolder(inputs());
    String out = tmp.resolve("out-folder").toString();
    StageResult r = PreprocessJob.run(spark, config(), in, out, false);
    assertFalse(r.skipped());
    assertEquals(14, r.counts().get("input"), "every file kept or rejected, the empty one too");
    assertEquals(6, r.counts().get("kept"), r.counts().toString());

    // Spark reads files in its own order; file by file in name order, the rows are sorted by id.
    List<Row> rows = new ArrayList<>();
    String[] parts = new File(out + "/dataset").list((d, n) -> n.endsWith(".parquet"));
    java.util.Arrays.sort(parts);
    for (String part : parts) {
      rows.addAll(spark.read().parquet(out + "/dataset/" + part).collectAsList());
    }
    List<String> ids = rows.stream().map(x -> x.<String>getAs("id")).toList();
    assertEquals(List.of("good/0.jpg", "good/1.jpg", "good/2-copy.png", "good/3.jpg", "good/4.jpg", "good/5.jpg"), ids,
        "sorted by id; of good/2 and its copy, the larger copy (340 wide) is kept");
    Row first = rows.get(0);
    assertEquals(128, (int) first.getAs("width"));
    assertEquals(64, (int) first.getAs("height"));
    assertEquals(320, (int) first.getAs("original_width"));
    assertEquals(10, (int) first.getAs("crop_y")); // 320x180 covers 128x64 with a 320x160 crop: 10 rows each end
    assertEquals(160, (int) first.getAs("crop_height"));
    assertEquals("raw", first.getAs("format"), "the default output format");
    assertEquals("jpeg", first.getAs("source_format"));
    assertEquals(128 * 64 * 3, org.pdm.core.schema.DatasetImages.rgb(first.getAs("image"), "raw", 128, 64).length);
    assertTrue(parts.length >= 2, "rows-per-file=3");

    Map<String, String> reasons = new HashMap<>();
    for (Row x : spark.read().parquet(out + "/rejects").collectAsList()) {
      reasons.put(x.getString(0), x.getString(1));
    }
    assertEquals(Map.of("bad/truncated.jpg", "decode-error", "bad/bomb.png", "too-large", "bad/notes.txt",
        "unsupported-format", "bad/portrait.png", "wrong-orientation", "bad/tiny.png", "too-small", "good/2.jpg",
        "duplicate", "bad/empty.jpg", "empty-file", "bad/Photo 1: tiny.png", "too-small"), reasons);

    JsonNode stats = new ObjectMapper().readTree(new File(out, "stats.json"));
    assertEquals(6, stats.get("kept").asInt());
    assertEquals(1, stats.get("rejected_by_reason").get("duplicate").asInt());
    JsonNode codecs = stats.get("codecs");
    assertEquals("auto", codecs.get("native").asText());
    assertTrue(codecs.get("jpeg_decoding").asText().matches("(native|JDK) \\(.*"), codecs.toString());
    assertTrue(codecs.has("jpeg_left_to_jdk") && codecs.has("png_inflated_native"));
    if (org.pdm.preprocess.natives.NativeCodecs.forMode("auto").jpeg() != null) {
      assertTrue(codecs.get("jpeg_decoded_native").asLong() > 0, "the executors used libturbojpeg: " + codecs);
    }
    BufferedImage sheet = ImageIO.read(new File(out, "contact-sheet.png"));
    assertTrue(sheet.getWidth() > 6 * 64);
    // The work table (work-candidates) is gone: the committed folder holds exactly the documented outputs.
    assertEquals(java.util.Set.of("_SUCCESS", "_manifest.json", "contact-sheet.png", "dataset", "rejects", "stats.json"),
        java.util.Set.of(new File(out).list((d, n) -> !n.endsWith(".crc"))));

    StageResult again = PreprocessJob.run(spark, config(), in, out, false);
    assertTrue(again.skipped(), "same configuration and input: skipped");
  }

  @Test
  void readsIngestRawParquet() throws Exception {
    List<Row> raw = new ArrayList<>();
    Timestamp now = new Timestamp(0);
    for (var e : inputs().entrySet()) {
      byte[] b = e.getValue();
      raw.add(RowFactory.create("synth:" + e.getKey(), "synth", e.getKey(), null, null, null, null, null,
          Integer.toHexString(java.util.Arrays.hashCode(b)), (long) b.length, "jpeg", 0, 0, b, now));
    }
    String in = tmp.resolve("raw").toString();
    spark.createDataFrame(raw, RawImageSchema.SCHEMA).repartition(2).write().parquet(in);
    String out = tmp.resolve("out-raw").toString();
    StageResult r = PreprocessJob.run(spark, config("preprocess.filters.dedupe=false", "preprocess.output.format=jpeg"),
        in, out, false);
    assertEquals(7, r.counts().get("kept"), r.counts().toString());
    Row first = spark.read().parquet(out + "/dataset").orderBy("id").first();
    assertEquals("synth:good/0.jpg", first.getAs("id"));
    assertEquals("jpeg", first.getAs("format"));
  }

  @Test
  void nearDuplicatesKeepExactlyOnePerGroupEvenAlongAChain() {
    // a ~ b (3 bits) and b ~ c (3 bits) but a, c are 6 apart: one group of three, joined through b;
    // e has a's hash; f is far from all. Within d = 4, the largest original (c) is kept alone.
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType().add("id", "string")
        .add("phash", "long").add("original_width", "int").add("original_height", "int").add("sharpness", "double");
    List<Row> rows = List.of(RowFactory.create("a", 0L, 100, 100, 9.0), RowFactory.create("b", 0x7L, 100, 100, 9.0),
        RowFactory.create("c", 0x3FL, 200, 100, 1.0), RowFactory.create("e", 0L, 100, 100, 5.0),
        RowFactory.create("f", -1L, 50, 50, 1.0));
    List<NearDuplicates.Duplicate> dups = NearDuplicates.find(spark.createDataFrame(rows, schema), 4);
    assertEquals(List.of("a", "b", "e"), dups.stream().map(NearDuplicates.Duplicate::id).toList());
    for (NearDuplicates.Duplicate d : dups) {
      assertEquals("c", d.keptId());
    }
  }

  @Test
  void rawOutputHoldsTheExactPixelsAndReadsBackThroughDatasetImages() throws Exception {
    // PNGs of exactly the output size go through untouched: bytes in = pixels out. The JPEGs are
    // cropped and resized: their raw pixels must equal the PNG output's pixels of the same run.
    Map<String, byte[]> files = new java.util.TreeMap<>();
    Map<String, BufferedImage> exact = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      BufferedImage img = TestImages.photoLike(128, 64, 40 + i);
      exact.put("exact/" + i + ".png", img);
      files.put("exact/" + i + ".png", TestImages.write(img, "png"));
    }
    for (int i = 0; i < 2; i++) {
      files.put("resized/" + i + ".jpg", TestImages.jpeg(TestImages.photoLike(300, 170, 50 + i), 0.9f, false));
    }
    String in = writeFolder(files);
    String[] noFilters = {"preprocess.filters.dedupe=false", "preprocess.filters.min-sharpness=0",
        "preprocess.filters.min-chroma=0", "preprocess.filters.min-luma-std=0", "preprocess.filters.max-border=0"};
    String rawOut = tmp.resolve("out-rawpixels").toString();
    String pngOut = tmp.resolve("out-png-same").toString();
    List<String> rawConf = new ArrayList<>(List.of(noFilters));
    rawConf.add("preprocess.output.format=raw");
    List<String> pngConf = new ArrayList<>(List.of(noFilters));
    pngConf.add("preprocess.output.format=png");
    assertEquals(5, PreprocessJob.run(spark, config(rawConf.toArray(new String[0])), in, rawOut, false).counts().get("kept"));
    assertEquals(5, PreprocessJob.run(spark, config(pngConf.toArray(new String[0])), in, pngOut, false).counts().get("kept"));

    Map<String, Row> png = new HashMap<>();
    for (Row r : spark.read().parquet(pngOut + "/dataset").collectAsList()) {
      png.put(r.getAs("id"), r);
    }
    List<Row> raw = spark.read().parquet(rawOut + "/dataset").orderBy("id").collectAsList();
    assertEquals(5, raw.size());
    for (Row r : raw) {
      String id = r.getAs("id");
      assertEquals("raw", r.getAs("format"));
      int w = r.getAs("width");
      int h = r.getAs("height");
      byte[] bytes = r.getAs("image");
      assertEquals(w * h * 3, bytes.length, id);
      byte[] hwc = org.pdm.core.schema.DatasetImages.rgb(bytes, "raw", w, h);
      if (exact.containsKey(id)) {
        BufferedImage img = exact.get(id);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int p = img.getRGB(x, y);
            int o = (y * w + x) * 3;
            assertEquals(p & 0xffffff, (hwc[o] & 255) << 16 | (hwc[o + 1] & 255) << 8 | (hwc[o + 2] & 255),
                id + " at " + x + "," + y);
          }
        }
      }
      Row p = png.get(id);
      assertTrue(java.util.Arrays.equals(hwc, org.pdm.core.schema.DatasetImages.rgb(p.getAs("image"), "png", w, h)),
          id + ": raw and png outputs hold the same pixels");
      assertTrue(java.util.Arrays.equals(org.pdm.core.schema.DatasetImages.chwUnit(bytes, "raw", w, h),
          org.pdm.core.schema.DatasetImages.chwUnit(p.getAs("image"), "png", w, h)), id);
    }
    // Parquet's own ZSTD compression, and the shape in the footer's schema metadata for pyarrow users.
    File part = new File(rawOut + "/dataset").listFiles((d, n) -> n.endsWith(".parquet"))[0];
    try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile
        .fromPath(new org.apache.hadoop.fs.Path(part.toURI()), new org.apache.hadoop.conf.Configuration()))) {
      var footer = reader.getFooter();
      assertEquals("ZSTD", footer.getBlocks().get(0).getColumns().stream()
          .filter(c -> c.getPath().toDotString().equals("image")).findFirst().orElseThrow().getCodec().name());
      String sparkSchema = footer.getFileMetaData().getKeyValueMetaData().get("org.apache.spark.sql.parquet.row.metadata");
      assertTrue(sparkSchema.contains("reshape(height, width, 3)"), sparkSchema);
    }
    assertTrue(ImageIO.read(new File(rawOut, "contact-sheet.png")).getWidth() > 5 * 64, "the sheet shows raw rows");
  }
}
