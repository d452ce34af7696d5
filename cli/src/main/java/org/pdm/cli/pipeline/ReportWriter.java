package org.pdm.cli.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pdm.core.stage.StageManifest;

/**
 * The run report in the work folder: {@code report.html}, self-contained (pictures embedded as data
 * URIs, no script, no link outside the file) so that it opens offline and can be mailed, and
 * {@code report.md} beside it for terminals. It is built from what the stages left in their output
 * folders, so it needs no stage to know about it: the manifest (counts, time), every top-level
 * {@code *.json} (stats, metrics) flattened to a table, every top-level picture, and the newest
 * picture in a {@code samples/} folder (training's sample grids).
 */
public final class ReportWriter {
  /** What the pipeline did with one step in this run. */
  public record StepRun(String name, String output, String outcome, double seconds) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ROWS = 40;

  private ReportWriter() {}

  /** Writes report.html and report.md into {@code workDir}; returns the HTML file. */
  public static Path write(Configuration hadoop, String workDir, List<StepRun> runs) throws IOException {
    Path work = new Path(workDir);
    FileSystem fs = work.getFileSystem(hadoop);
    StringBuilder html = new StringBuilder();
    StringBuilder md = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>pdm run report</title><style>")
        .append("body{font-family:sans-serif;max-width:70em;margin:2em auto;color:#222}")
        .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;")
        .append("text-align:left;font-size:90%}img{max-width:100%;border:1px solid #ccc;margin:.3em 0}")
        .append("h2{border-bottom:1px solid #ccc}.num{text-align:right}</style></head><body>");
    html.append("<h1>pdm run report</h1><p>Work folder <code>").append(esc(workDir)).append("</code>, written ")
        .append(java.time.Instant.now()).append(".</p>");
    md.append("# pdm run report\n\nWork folder `").append(workDir).append("`, written ")
        .append(java.time.Instant.now()).append(".\n\n| stage | this run | seconds | output |\n|---|---|---|---|\n");
    html.append("<table><tr><th>stage</th><th>this run</th><th>seconds</th><th>output</th></tr>");
    for (StepRun r : runs) {
      html.append("<tr><td>").append(esc(r.name())).append("</td><td>").append(esc(r.outcome()))
          .append("</td><td class=num>").append(String.format("%.1f", r.seconds())).append("</td><td><code>")
          .append(esc(r.output())).append("</code></td></tr>");
      md.append(String.format("| %s | %s | %.1f | `%s` |%n", r.name(), r.outcome(), r.seconds(), r.output()));
    }
    html.append("</table>");
    Map<String, String> results = ReportResults.of(fs, runs);
    if (!results.isEmpty()) {
      html.append("<h2>Results</h2>");
      md.append("\n## Results\n");
      table("metrics (each stage's own file holds the details)", results, html, md);
    }
    for (StepRun r : runs) {
      Path out = new Path(r.output());
      if (!fs.exists(out)) {
        continue;
      }
      html.append("<h2>").append(esc(r.name())).append("</h2>");
      md.append("\n## ").append(r.name()).append("\n");
      section(fs, out, html, md);
    }
    html.append("</body></html>\n");
    Path htmlFile = new Path(work, "report.html");
    writeAtomically(fs, htmlFile, html.toString());
    writeAtomically(fs, new Path(work, "report.md"), md.toString());
    return htmlFile;
  }

  private static void section(FileSystem fs, Path out, StringBuilder html, StringBuilder md) throws IOException {
    if (fs.exists(new Path(out, StageManifest.FILE))) {
      StageManifest m = StageManifest.read(fs, out);
      Map<String, String> rows = new LinkedHashMap<>();
      rows.put("finished", String.valueOf(m.finishedAt()));
      rows.put("seconds", String.format("%.1f", m.seconds()));
      m.counts().forEach((k, v) -> rows.put(k, String.format("%,d", v)));
      table("manifest", rows, html, md);
    }
    FileStatus[] files = fs.listStatus(out);
    java.util.Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
    for (FileStatus f : files) {
      String name = f.getPath().getName();
      if (f.isFile() && name.endsWith(".json") && !name.startsWith("_") && !name.startsWith(".")) {
        Map<String, String> rows = new LinkedHashMap<>();
        try (InputStream in = fs.open(f.getPath())) {
          flatten("", JSON.readTree(in), rows);
        } catch (IOException e) {
          rows.put("(unreadable)", e.getMessage());
        }
        table(name, rows, html, md);
      }
    }
    List<Path> pictures = new ArrayList<>();
    for (FileStatus f : files) {
      if (f.isFile() && f.getPath().getName().endsWith(".png")) {
        pictures.add(f.getPath());
      }
    }
    Path samples = new Path(out, "samples");
    if (fs.isDirectory(samples)) {
      FileStatus[] grids = fs.listStatus(samples, p -> p.getName().endsWith(".png"));
      java.util.Arrays.stream(grids).map(FileStatus::getPath).max(Comparator.comparing(Path::getName))
          .ifPresent(pictures::add);
    }
    for (Path p : pictures) {
      boolean top = p.getParent().getName().equals(out.getName()) && p.getParent().depth() == out.depth();
      String rel = out.getName() + "/" + (top ? "" : p.getParent().getName() + "/") + p.getName();
      byte[] png;
      try (InputStream in = fs.open(p)) {
        png = in.readAllBytes();
      }
      html.append("<p><b>").append(esc(rel)).append("</b><br><img alt=\"").append(esc(rel)).append("\"")
          .append(enlarged(png)).append(" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png)).append("\"></p>");
      md.append("\n![").append(rel).append("](").append(rel).append(")\n");
    }
  }

  /**
   * A style that shows a small picture (the 32x32 demo's grids) a few times larger with sharp pixels;
   * "" for a picture of readable size. The width is read from the PNG header.
   */
  static String enlarged(byte[] png) {
    if (png.length < 24) {
      return "";
    }
    int width = java.nio.ByteBuffer.wrap(png, 16, 4).getInt();
    if (width <= 0 || width >= 350) {
      return "";
    }
    int scale = Math.max(1, Math.min(4, 700 / width));
    return scale == 1 ? "" : " style=\"width:" + width * scale + "px;image-rendering:pixelated\"";
  }

  /** JSON to dotted keys; long arrays are summarized so that a table stays readable. */
  static void flatten(String prefix, JsonNode node, Map<String, String> rows) {
    if (rows.size() >= MAX_ROWS) {
      return;
    }
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
          e.getValue(), rows));
    } else if (node.isArray()) {
      rows.put(prefix, node.size() <= 8 && allScalar(node) ? node.toString() : "[" + node.size() + " items]");
    } else if (node.isFloatingPointNumber()) {
      rows.put(prefix, String.format("%.6g", node.doubleValue()));
    } else {
      rows.put(prefix, node.asText());
    }
  }

  private static boolean allScalar(JsonNode array) {
    for (JsonNode n : array) {
      if (n.isContainerNode()) {
        return false;
      }
    }
    return true;
  }

  private static void table(String title, Map<String, String> rows, StringBuilder html, StringBuilder md) {
    if (rows.isEmpty()) {
      return;
    }
    html.append("<h3>").append(esc(title)).append("</h3><table>");
    md.append("\n**").append(title).append("**\n\n| key | value |\n|---|---|\n");
    rows.forEach((k, v) -> {
      html.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>");
      md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    });
    html.append("</table>");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Replaces the report only when it is ours (it names itself in its first line), never a user's file. */
  private static void writeAtomically(FileSystem fs, Path file, String text) throws IOException {
    if (fs.exists(file)) {
      String head;
      try (InputStream in = fs.open(file)) {
        head = new String(in.readNBytes(200), StandardCharsets.UTF_8);
      }
      if (!head.contains("pdm run report")) {
        throw new org.pdm.core.stage.StagePathException(file + " exists and is not a pdm run report: the report "
            + "is not written over it; move it away and run again (nothing was touched)");
      }
    }
    Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(file, false);
    if (!fs.rename(tmp, file)) {
      throw new IOException("could not rename " + tmp + " to " + file);
    }
  }
}
