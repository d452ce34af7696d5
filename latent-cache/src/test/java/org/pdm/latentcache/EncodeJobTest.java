package org.pdm.latentcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.LatentSchema;
import org.pdm.core.stage.StageResult;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.train.Checkpoint;

/** The whole stage with autoencoder-tiny (32x32) on tiny generated datasets, on one local[2] session. */
class EncodeJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  private static Path checkpoint;
  private static List<Row> good;
  private static StageResult first;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void encodeOnce() throws Exception {
    spark = SparkSession.builder().master("local[2]").appName("encode-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    checkpoint = tmp.resolve("ae");
    Checkpoint.initialize(checkpoint, ModelConfigs.load(Path.of(System.getProperty("pdm.root", ".."),
        "conf/model/autoencoder-tiny.conf")), 7);
    good = TinyDataset.good("g", 6);
    List<Row> rows = new ArrayList<>(good);
    rows.add(TinyDataset.row("bad-bytes", new byte[] {1, 2, 3, 4}, 32, 32));
    rows.add(TinyDataset.row("small", TinyDataset.png(16, 16, 1), 16, 16));
    TinyDataset.write(spark, tmp.resolve("pre").toString(), rows);
    first = encode(tmp.resolve("pre").toString(), checkpoint.toString(), tmp.resolve("latents").toString());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static StageResult encode(String dataset, String ckpt, String out, String... more) throws Exception {
    List<String> o = new ArrayList<>(List.of("progress.enabled=false", "encode.batch-size=4", "encode.partitions=2"));
    o.addAll(List.of(more));
    return EncodeJob.run(spark, PdmConfig.defaults().with(o.toArray(new String[0])), dataset, ckpt, out, false);
  }

  /** id -> per level the stored floats, read with Spark. */
  private static Map<String, float[][]> read(Path latents, LatentSchema.Dtype dtype, int levels) {
    Map<String, float[][]> out = new HashMap<>();
    for (Row r : spark.read().parquet(latents.toString()).collectAsList()) {
      float[][] z = new float[levels][];
      for (int l = 0; l < levels; l++) {
        z[l] = dtype.decode(r.getAs(LatentSchema.column(l)));
      }
      assertEquals(null, out.put(r.getAs("id"), z), "id " + r.getAs("id") + " stored twice");
    }
    return out;
  }

  @Test
  void latentsEqualADirectEncodeOfTheSameImagesWithinFloat16Rounding() throws Exception {
    assertEquals(6, first.counts().get("encoded"));
    Map<String, float[][]> stored = read(tmp.resolve("latents/latents"), LatentSchema.Dtype.FLOAT16, 2);
    assertEquals(6, stored.size());
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      PyramidAutoEncoder ae = (PyramidAutoEncoder) Checkpoint.loadModel(checkpoint, m, Device.cpu(), false).model();
      for (Row r : good) {
        float[] x = DatasetImages.chwUnit(r.getAs(1), "png", 32, 32);
        float[][] direct = ae.encodeMeans(x, 1);
        float[][] z = stored.get(r.getString(0));
        assertEquals(4 * 8 * 8, z[0].length);
        assertEquals(8 * 4 * 4, z[1].length);
        for (int l = 0; l < 2; l++) {
          float scale = 0;
          for (float v : direct[l]) {
            scale = Math.max(scale, Math.abs(v));
          }
          for (int i = 0; i < z[l].length; i++) {
            float want = direct[l][i];
            // float16 rounding (half an ulp is 2^-11 relative), plus float32 noise of a batch of 4 vs 1
            assertEquals(want, z[l][i], Math.abs(want) * 1e-3 + scale * 1e-5, "level " + l + " element " + i);
          }
        }
      }
    }
  }

  @Test
  void rejectsAnUndecodableRowAndAWrongSizeWithReasons() {
    assertEquals(8, first.counts().get("input"), "a fresh cache counts its input from the Parquet footers");
    assertEquals(2, first.counts().get("rejected"));
    assertEquals(1, first.counts().get("rejected.undecodable"));
    assertEquals(1, first.counts().get("rejected.wrong-size"));
    Map<String, String> reasons = new HashMap<>();
    for (Row r : spark.read().parquet(tmp.resolve("latents/rejects").toString()).collectAsList()) {
      reasons.put(r.getAs("id"), r.getAs("reason") + ": " + r.getAs("details"));
    }
    assertTrue(reasons.get("bad-bytes").startsWith("undecodable"), reasons.toString());
    assertTrue(reasons.get("small").contains("16x16") && reasons.get("small").contains("32x32"), reasons.toString());
  }

  @Test
  void latentStatsMatchADirectComputationOverTheStoredValues() throws Exception {
    JsonNode stats = JSON.readTree(tmp.resolve("latents/latent-stats.json").toFile());
    Map<String, float[][]> stored = read(tmp.resolve("latents/latents"), LatentSchema.Dtype.FLOAT16, 2);
    int[][] chw = {{4, 8, 8}, {8, 4, 4}};
    for (int l = 0; l < 2; l++) {
      int plane = chw[l][1] * chw[l][2];
      for (int c = 0; c < chw[l][0]; c++) {
        double sum = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long n = 0;
        for (float[][] z : stored.values()) {
          for (int i = c * plane; i < (c + 1) * plane; i++) {
            sum += z[l][i];
            sq += (double) z[l][i] * z[l][i];
            min = Math.min(min, z[l][i]);
            max = Math.max(max, z[l][i]);
            n++;
          }
        }
        JsonNode s = stats.get("levels").get(l).get("channels").get(c);
        double mean = sum / n;
        assertEquals(n, s.get("count").asLong());
        assertEquals(mean, s.get("mean").asDouble(), 1e-9);
        assertEquals(Math.sqrt(sq / n - mean * mean), s.get("std").asDouble(), 1e-9);
        assertEquals(min, s.get("min").asDouble());
        assertEquals(max, s.get("max").asDouble());
      }
    }
  }

  @Test
  void duckDbReadsARowAndReshapesItFromTheFileMetadataAlone() throws Exception {
    Map<String, float[][]> stored = read(tmp.resolve("latents/latents"), LatentSchema.Dtype.FLOAT16, 2);
    String files = tmp.resolve("latents/latents").toString() + "/*.parquet";
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      Map<String, String> meta = new HashMap<>();
      try (ResultSet rs = st.executeQuery("SELECT DISTINCT decode(key) AS k, decode(value) AS v "
          + "FROM parquet_kv_metadata('" + files + "') WHERE decode(key) LIKE 'pdm.latent.%'")) {
        while (rs.next()) {
          meta.put(rs.getString("k"), rs.getString("v"));
        }
      }
      assertEquals("z0,z1", meta.get("pdm.latent.levels"));
      assertEquals("4,8,8", meta.get("pdm.latent.shape.z0"));
      assertEquals("float16", meta.get("pdm.latent.dtype"));
      assertEquals("little", meta.get("pdm.latent.byte-order"));
      assertTrue(meta.get("pdm.latent.normalization").contains("127.5"));
      try (ResultSet rs = st.executeQuery("SELECT id, z1 FROM read_parquet('" + files + "') WHERE id = 'g3'")) {
        assertTrue(rs.next());
        java.sql.Blob b = rs.getBlob("z1");
        byte[] blob = b.getBytes(1, (int) b.length());
        // What the documented numpy snippet does: frombuffer(dtype '<f2').reshape(shape).
        String[] shape = meta.get("pdm.latent.shape.z1").split(",");
        int c = Integer.parseInt(shape[0]);
        int h = Integer.parseInt(shape[1]);
        int w = Integer.parseInt(shape[2]);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(blob).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(c * h * w * 2, blob.length);
        float[][][] z = new float[c][h][w];
        for (int i = 0; i < c; i++) {
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              z[i][y][x] = org.pdm.core.schema.Float16.toFloat(buf.getShort());
            }
          }
        }
        float[] flat = stored.get("g3")[1];
        assertEquals(flat[(5 * h + 2) * w + 3], z[5][2][3]);
        assertEquals(flat[flat.length - 1], z[c - 1][h - 1][w - 1]);
      }
    }
    // The manifest carries the same layout.
    JsonNode manifest = JSON.readTree(tmp.resolve("latents/_manifest.json").toFile());
    assertEquals("4,8,8", manifest.get("config").get("layout").get("pdm.latent.shape.z0").asText());
    assertEquals(64, manifest.get("config").get("layout").get("pdm.latent.checkpoint-sha256").asText().length());
  }

  @Test
  void aGrownDatasetIsEncodedIncrementallyAndAnotherCheckpointBuildsANewCache() throws Exception {
    Path pre = tmp.resolve("grow-pre");
    Path out = tmp.resolve("grow-latents");
    TinyDataset.write(spark, pre.toString(), TinyDataset.good("a", 3));
    StageResult r1 = encode(pre.toString(), checkpoint.toString(), out.toString());
    assertEquals(3, r1.counts().get("encoded"));
    assertTrue(encode(pre.toString(), checkpoint.toString(), out.toString()).skipped());

    List<Row> grown = new ArrayList<>(TinyDataset.good("a", 3));
    grown.addAll(TinyDataset.good("b", 2));
    TinyDataset.write(spark, pre.toString(), grown);
    // The dataset/ folder given directly this time: the same data.
    StageResult r2 = encode(pre.resolve("dataset").toString(), checkpoint.toString(), out.toString());
    assertFalse(r2.skipped());
    assertEquals(2, r2.counts().get("encoded"));
    assertEquals(2, r2.counts().get("input"), "an incremental run counts only the new ids");
    assertEquals(5, r2.counts().get("cached"));
    var timings = r2.manifest().timingsSeconds();
    for (String step : List.of("open", "list", "encode", "commit", EncodeJob.TASK_ENCODER, EncodeJob.TASK_ENCODER_WAIT,
        EncodeJob.TASK_INPUT_WAIT)) {
      assertTrue(timings.containsKey(step), step + " missing from " + timings);
    }
    assertTrue(timings.get(EncodeJob.TASK_ENCODER) > 0, timings.toString());
    Map<String, float[][]> stored = read(out.resolve("latents"), LatentSchema.Dtype.FLOAT16, 2);
    assertEquals(java.util.Set.of("a0", "a1", "a2", "b0", "b1"), stored.keySet());
    JsonNode stats = JSON.readTree(out.resolve("latent-stats.json").toFile());
    assertEquals(5L * 64, stats.get("levels").get(0).get("channels").get(0).get("count").asLong());

    Path other = tmp.resolve("ae-other");
    Checkpoint.initialize(other, Checkpoint.config(checkpoint), 8);
    StageResult r3 = encode(pre.toString(), other.toString(), out.toString());
    assertEquals(5, r3.counts().get("encoded"));
    assertEquals(5, r3.counts().get("cached"));
    assertEquals(5, read(out.resolve("latents"), LatentSchema.Dtype.FLOAT16, 2).size());
    try (var files = Files.list(out.resolve("latents"))) {
      assertTrue(files.allMatch(f -> !f.getFileName().toString().endsWith(".parquet")
          || checkMetadataHash(f, other)), "every file from the new checkpoint");
    }
  }

  private static boolean checkMetadataHash(Path file, Path ckpt) {
    try {
      String hash = org.pdm.model.executor.CheckpointFiles.hash(new org.apache.hadoop.conf.Configuration(),
          ckpt.toString());
      var footer = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile
          .fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.conf.Configuration()));
      try (footer) {
        return hash.equals(footer.getFooter().getFileMetaData().getKeyValueMetaData()
            .get(LatentSchema.KEY_CHECKPOINT_HASH));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void oneTaskPipelinesItsBatchesAndWritesEachOnceInOrder() throws Exception {
    Path out = tmp.resolve("one-task");
    // 8 rows, batch 1, one partition: decoding, encoding and writing of different batches overlap.
    StageResult r = encode(tmp.resolve("pre").toString(), checkpoint.toString(), out.toString(),
        "encode.batch-size=1", "encode.partitions=1");
    assertEquals(6, r.counts().get("encoded"));
    assertEquals(2, r.counts().get("rejected"));
    List<String> ids = new ArrayList<>();
    for (Row row : spark.read().parquet(out.resolve("latents").toString()).collectAsList()) {
      ids.add(row.getAs("id"));
    }
    assertEquals(List.of("g0", "g1", "g2", "g3", "g4", "g5"), ids, "one file, rows in the input's order");
    Map<String, float[][]> one = read(out.resolve("latents"), LatentSchema.Dtype.FLOAT16, 2);
    Map<String, float[][]> batched = read(tmp.resolve("latents/latents"), LatentSchema.Dtype.FLOAT16, 2);
    for (String id : ids) {
      for (int l = 0; l < 2; l++) {
        for (int i = 0; i < one.get(id)[l].length; i++) {
          float want = batched.get(id)[l][i];
          assertEquals(want, one.get(id)[l][i], Math.abs(want) * 2e-3 + 1e-4, id + " level " + l + " element " + i);
        }
      }
    }
  }

  @Test
  void float32WithThePosteriorStoresLogvarColumns() throws Exception {
    Path out = tmp.resolve("posterior");
    StageResult r = encode(tmp.resolve("pre").toString(), checkpoint.toString(), out.toString(),
        "encode.dtype=float32", "encode.posterior=true");
    assertEquals(6, r.counts().get("encoded"));
    Row row = spark.read().parquet(out.resolve("latents").toString()).where("id = 'g0'").first();
    assertEquals(4 * 64 * 4, ((byte[]) row.getAs("z0")).length);
    float[] logvar = LatentSchema.Dtype.FLOAT32.decode(row.getAs("z1_logvar"));
    assertEquals(8 * 16, logvar.length);
    for (float v : logvar) {
      assertTrue(v >= -30f && v <= 20f, "clamped log-variance " + v);
    }
    Map<String, float[][]> f16 = read(tmp.resolve("latents/latents"), LatentSchema.Dtype.FLOAT16, 2);
    float[] mean32 = LatentSchema.Dtype.FLOAT32.decode(row.getAs("z0"));
    for (int i = 0; i < mean32.length; i++) {
      assertEquals(mean32[i], f16.get("g0")[0][i], Math.abs(mean32[i]) * 1e-3 + 1e-6);
    }
  }
}
