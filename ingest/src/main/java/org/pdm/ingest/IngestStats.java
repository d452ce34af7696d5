package org.pdm.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The stats JSON of a run: {@code <out>/stats/<run>.json}, and a copy of the latest run in
 * {@code <out>/stats.json}. Counts by outcome, bytes, durations, images/s and MB/s, and a few
 * example details per reject reason.
 */
final class IngestStats {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private IngestStats() {}

  static Map<String, Object> build(String runId, IngestConfig c, Instant started, Map<String, Long> counts,
      Map<String, Double> timings, TaskReport report, double downloadSeconds) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("run_id", runId);
    s.put("source", c.source());
    s.put("inputs", c.inputs());
    s.put("started_at", started.toString());
    s.put("finished_at", Instant.now().toString());
    s.put("counts", counts);
    s.put("download_outcomes", report.outcomes);
    s.put("download_bytes_stored", report.bytesStored);
    s.put("seconds", timings);
    double items = report.items;
    double stored = report.outcomes.getOrDefault(TaskReport.STORED, 0L);
    s.put("download_items_per_s", downloadSeconds > 0 ? round(items / downloadSeconds) : 0);
    s.put("download_images_per_s", downloadSeconds > 0 ? round(stored / downloadSeconds) : 0);
    s.put("download_mb_per_s", downloadSeconds > 0 ? round(report.bytesStored / 1e6 / downloadSeconds) : 0);
    s.put("reject_examples", report.samples);
    return s;
  }

  static void write(FileSystem fs, Path out, String runId, IngestConfig c, Instant started, Map<String, Long> counts,
      Map<String, Double> timings, TaskReport report, double downloadSeconds) throws IOException {
    Map<String, Object> stats = build(runId, c, started, counts, timings, report, downloadSeconds);
    byte[] bytes = JSON.writeValueAsBytes(stats);
    write(fs, new Path(new Path(out, "stats"), runId + ".json"), bytes);
    Path tmp = new Path(out, ".stats.json.tmp");
    write(fs, tmp, bytes);
    Path target = new Path(out, "stats.json");
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    fs.rename(tmp, target);
  }

  private static void write(FileSystem fs, Path path, byte[] bytes) throws IOException {
    try (OutputStream o = fs.create(path, true)) {
      o.write(bytes);
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
