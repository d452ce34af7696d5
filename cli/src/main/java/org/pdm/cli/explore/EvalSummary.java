package org.pdm.cli.explore;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pdm.core.stage.WorkLayout;
import org.pdm.eval.recon.AblationConfig;
import org.pdm.eval.recon.ReconConfig;

/**
 * A work folder's evaluation in one table: {@code eval-recon/recon.json} (PSNR, SSIM),
 * {@code eval-ablation/ablation.json} (PSNR and SSIM per variant of Fig. 7) and, when
 * {@code pdm eval fid} has run, {@code eval/fid.json} (FID, KID). A missing file is a row that says
 * which command makes it, so the table shows what was not measured instead of hiding it.
 */
public final class EvalSummary {
  private EvalSummary() {}

  static final String RECON = ReconConfig.FOLDER + "/recon.json";
  static final String ABLATION = AblationConfig.FOLDER + "/ablation.json";
  static final String FID = WorkLayout.EVAL.stage() + "/fid.json";

  /** One line of the table; {@code source} is the file it comes from, relative to the work folder. */
  public record Row(String metric, String value, String source) {}

  public static List<Row> read(Path workDir) throws IOException {
    List<Row> rows = new ArrayList<>();
    JsonObject recon = json(workDir.resolve(RECON));
    if (recon == null) {
      rows.add(new Row("reconstruction", "not measured: run pdm eval recon", RECON));
    } else {
      String on = " (" + recon.get("images").getAsInt() + " validation images)";
      rows.add(new Row("reconstruction PSNR (dB)", meanStd(recon, "psnr", 2) + on, RECON));
      rows.add(new Row("reconstruction SSIM", meanStd(recon, "ssim", 4) + on, RECON));
    }
    JsonObject ablation = json(workDir.resolve(ABLATION));
    if (ablation == null) {
      rows.add(new Row("ablation", "not measured: run pdm eval ablation", ABLATION));
    } else {
      JsonArray levels = ablation.getAsJsonArray("levels");
      for (JsonElement v : ablation.getAsJsonArray("variants")) {
        JsonObject o = v.getAsJsonObject();
        rows.add(new Row("ablation: " + o.get("name").getAsString() + " (" + kept(levels, o.getAsJsonArray("keep")) + ")",
            String.format(Locale.ROOT, "PSNR %.2f dB, SSIM %.4f", o.get("psnr_mean").getAsDouble(),
                o.get("ssim_mean").getAsDouble()), ABLATION));
      }
    }
    JsonObject fid = json(workDir.resolve(FID));
    if (fid == null) {
      rows.add(new Row("FID / KID", "not measured: pdm eval fid needs the Inception file (pdm.eval.inception, "
          + "docs/eval.md)", FID));
    } else {
      String n = String.format(Locale.ROOT, " (%s, n_real=%d, n_fake=%d)", fid.get("mode").getAsString(),
          fid.get("n_real").getAsLong(), fid.get("n_fake").getAsLong());
      rows.add(new Row("FID", String.format(Locale.ROOT, "%.4f", fid.get("fid").getAsDouble()) + n, FID));
      JsonElement kid = fid.get("kid");
      rows.add(new Row("KID", kid == null || !kid.isJsonObject()
          ? "not measured: KID needs the features of both sides (an .npz side has only statistics)"
          : String.format(Locale.ROOT, "%.6f ± %.6f", kid.getAsJsonObject().get("mean").getAsDouble(),
              kid.getAsJsonObject().get("std").getAsDouble()) + n, FID));
      if (fid.has("warnings") && fid.get("warnings").isJsonArray()) {
        for (JsonElement w : fid.getAsJsonArray("warnings")) {
          rows.add(new Row("FID warning", w.getAsString(), FID));
        }
      }
    }
    return rows;
  }

  /** The rows as an aligned text table, for a notebook's output. */
  public static String text(List<Row> rows) {
    int m = "metric".length();
    int v = "value".length();
    for (Row r : rows) {
      m = Math.max(m, r.metric().length());
      v = Math.max(v, r.value().length());
    }
    String format = "%-" + m + "s  %-" + v + "s  %s%n";
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format, "metric", "value", "from"));
    for (Row r : rows) {
      out.append(String.format(Locale.ROOT, format, r.metric(), r.value(), r.source()));
    }
    return out.toString();
  }

  private static String meanStd(JsonObject o, String key, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", o.get(key).getAsDouble(),
        o.get(key + "_std").getAsDouble());
  }

  /** "8x8x4 + 4x4x8": the levels a variant kept. */
  private static String kept(JsonArray levels, JsonArray keep) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < keep.size(); i++) {
      if (keep.get(i).getAsBoolean()) {
        names.add(levels.get(i).getAsString());
      }
    }
    return names.isEmpty() ? "none" : String.join(" + ", names);
  }

  private static JsonObject json(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IOException(file + " is not the JSON object its stage writes: " + e.getMessage(), e);
    }
  }
}
