package org.pdm.train.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl}: one JSON object per line, {@code step} first, then the loss terms, grad
 * norm, lr (training lines) or the validation metrics (lines with {@code val_loss}). On resume the
 * lines after the checkpoint's step are dropped (that part of the run is done again), so the file
 * reads as one uninterrupted run. Every line is flushed as it is written.
 */
public final class MetricsLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<JsonNode> lines = new ArrayList<>();
  private final BufferedWriter out;

  private MetricsLog(Path file, List<JsonNode> kept) throws IOException {
    lines.addAll(kept);
    StringBuilder text = new StringBuilder();
    for (JsonNode n : kept) {
      text.append(JSON.writeValueAsString(n)).append('\n');
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** Opens {@code file}, keeping only the lines of steps up to {@code upToStep} (0: a fresh file). */
  public static MetricsLog open(Path file, long upToStep) throws IOException {
    List<JsonNode> kept = new ArrayList<>();
    if (upToStep > 0 && Files.isRegularFile(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          JsonNode n = JSON.readTree(line);
          if (n.path("step").asLong() <= upToStep) {
            kept.add(n);
          }
        }
      }
    }
    return new MetricsLog(file, kept);
  }

  /** Writes one line: {@code step} then the given values in order. */
  public void write(long step, Map<String, Double> values) throws IOException {
    write(step, values, null, null);
  }

  /** As {@link #write(long, Map)}, then {@code label: text} (a string member) when label is not null. */
  public void write(long step, Map<String, Double> values, String label, String text) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("step", step);
    values.forEach((k, v) -> {
      if (Double.isFinite(v)) {
        n.put(k, v);
      } else {
        n.put(k, String.valueOf(v)); // NaN and Infinity are not JSON numbers
      }
    });
    if (label != null) {
      n.put(label, text);
    }
    lines.add(n);
    out.write(JSON.writeValueAsString(n));
    out.write('\n');
    out.flush();
  }

  /** Every line so far (kept from before a resume, then written). */
  public List<JsonNode> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
