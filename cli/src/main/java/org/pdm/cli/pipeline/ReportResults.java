package org.pdm.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The headline numbers of a run for the report's first table, read from the files the stages
 * write: training's last validation line (metrics.jsonl), recon.json, ablation.json and fid.json.
 * Whatever a stage did not write is simply absent.
 */
final class ReportResults {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportResults() {}

  static Map<String, String> of(FileSystem fs, List<ReportWriter.StepRun> runs) throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (ReportWriter.StepRun r : runs) {
      Path out = new Path(r.output());
      JsonNode validation = lastWith(fs, new Path(out, "metrics.jsonl"), "val_loss");
      if (validation != null) {
        rows.put(r.name() + ": validation loss at step " + validation.path("step").asLong(),
            num(validation.get("val_loss")));
        if (validation.has("val_psnr")) {
          rows.put(r.name() + ": validation PSNR (dB)", num(validation.get("val_psnr")));
        }
      }
      JsonNode recon = read(fs, new Path(out, "recon.json"));
      if (recon != null) {
        rows.put("reconstruction PSNR (dB), " + recon.path("images").asLong() + " validation images",
            num(recon.get("psnr")));
        rows.put("reconstruction SSIM", num(recon.get("ssim")));
        if (recon.hasNonNull("rfid")) {
          rows.put("rFID", num(recon.get("rfid")));
        }
      }
      JsonNode ablation = read(fs, new Path(out, "ablation.json"));
      if (ablation != null) {
        for (JsonNode v : ablation.path("variants")) {
          rows.put("ablation PSNR (dB): " + v.path("name").asText(), num(v.get("psnr_mean")));
        }
      }
      JsonNode fid = read(fs, new Path(out, "fid.json"));
      if (fid != null) {
        rows.put("FID (" + fid.path("n_real").asLong() + " real, " + fid.path("n_fake").asLong() + " fake, "
            + fid.path("mode").asText() + ")", num(fid.get("fid")));
        if (fid.has("kid")) {
          rows.put("KID", num(fid.path("kid").get("mean")) + " ± " + num(fid.path("kid").get("std")));
        }
        if (fid.has("precision")) {
          rows.put("precision / recall", num(fid.get("precision")) + " / " + num(fid.get("recall")));
        }
      }
    }
    return rows;
  }

  private static String num(JsonNode n) {
    return n == null || n.isNull() ? "-" : String.format("%.4g", n.asDouble());
  }

  private static JsonNode read(FileSystem fs, Path file) throws IOException {
    if (!fs.exists(file)) {
      return null;
    }
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      return null; // a half-written file of a stage still running: the report shows the rest
    }
  }

  /** The last JSON line of {@code file} that has {@code key}. */
  private static JsonNode lastWith(FileSystem fs, Path file, String key) throws IOException {
    if (!fs.exists(file)) {
      return null;
    }
    JsonNode last = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        try {
          JsonNode n = JSON.readTree(line);
          if (n != null && n.has(key)) {
            last = n;
          }
        } catch (IOException e) {
          // a torn last line of a killed run
        }
      }
    }
    return last;
  }
}
