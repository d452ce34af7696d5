package org.pdm.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.spark.SparkSessions;
import org.pdm.core.synth.SynthJob;

/** A shared local[2] session, small synthetic images, and readers of an ingest output. */
final class TestData {
  private TestData() {}

  static PdmConfig base(String... more) {
    List<String> o = new ArrayList<>(List.of("spark.master=\"local[2]\"", "progress.enabled=false",
        "ingest.download.allow-private-addresses=true", "ingest.download.backoff-base=50ms",
        "ingest.download.read-timeout=1500ms", "ingest.download.connect-timeout=1s", "ingest.download.threads-per-task=8"));
    o.addAll(List.of(more));
    return PdmConfig.defaults().with(o.toArray(String[]::new));
  }

  static SparkSession spark() {
    return SparkSessions.getOrCreate(base(), "ingest-test");
  }

  /** {@code count} small images (64x32 and up; none off-spec unless asked) with photos.tsv and flickr.csv. */
  static Path synth(SparkSession spark, Path dir, int count, double offSpec, String kind) throws Exception {
    SynthJob.run(spark, base("synth.count=" + count, "synth.min-size=\"64x32\"", "synth.kind=" + kind,
        "synth.off-spec-fraction=" + offSpec), dir.toString(), false);
    return dir;
  }

  static List<Path> images(Path synth) throws IOException {
    try (Stream<Path> s = Files.list(synth.resolve("images"))) {
      return s.sorted().toList();
    }
  }

  /** id -> reason for every reject row; "stored" for raw rows. Fails on an id seen twice. */
  static Map<String, String> outcomes(SparkSession spark, Path out) {
    Map<String, String> m = new TreeMap<>();
    if (Files.isDirectory(out.resolve("raw"))) {
      for (Row r : spark.read().schema(org.pdm.core.schema.RawImageSchema.SCHEMA).parquet(out.resolve("raw").toString()).select("id").collectAsList()) {
        if (m.put(r.getString(0), "stored") != null) {
          throw new AssertionError("id stored twice: " + r.getString(0));
        }
      }
    }
    if (Files.isDirectory(out.resolve("rejects"))) {
      for (Row r : spark.read().schema(org.pdm.ingest.write.RejectSchema.SCHEMA).parquet(out.resolve("rejects").toString())
          .select("id", "reason").collectAsList()) {
        String before = m.put(r.getString(0), r.getString(1));
        if (before != null && !r.getString(1).equals("duplicate-id")) {
          throw new AssertionError("id " + r.getString(0) + " both " + before + " and " + r.getString(1));
        }
      }
    }
    return m;
  }
}
