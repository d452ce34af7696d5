package org.pdm.cli.explore;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A training run's {@code metrics.jsonl} (docs/train.md): training lines ({@code step}, {@code loss},
 * its terms, {@code grad_norm}, {@code lr}, {@code epoch}) and validation lines ({@code step},
 * {@code val_loss}, for the autoencoder {@code val_psnr}). Values the trainer wrote as strings (NaN,
 * Infinity) are left out of the series.
 */
public final class TrainMetrics {
  /** Keys of training lines that are not loss terms. */
  private static final Set<String> NOT_TERMS = Set.of("step", "loss", "grad_norm", "lr", "epoch");

  /** One metric over the steps: {@code steps[i]} and {@code values[i]}. */
  public record Series(String key, double[] steps, double[] values) {
    public int size() {
      return steps.length;
    }

    public double first() {
      return values[0];
    }

    public double last() {
      return values[values.length - 1];
    }

    /** The same points under another name: one chart's series need distinct names. */
    public Series withKey(String name) {
      return new Series(name, steps, values);
    }
  }

  private final List<JsonObject> lines;

  private TrainMetrics(List<JsonObject> lines) {
    this.lines = lines;
  }

  public static TrainMetrics read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " does not exist: it is written by pdm train autoencoder|flow in its output "
          + "folder (<work-dir>/autoencoder, <work-dir>/flow)");
    }
    List<JsonObject> lines = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      JsonElement e = JsonParser.parseString(line);
      if (!e.isJsonObject() || !e.getAsJsonObject().has("step")) {
        throw new IOException(file + " line " + number + " is not a metrics object with a step: " + line);
      }
      lines.add(e.getAsJsonObject());
    }
    return new TrainMetrics(List.copyOf(lines));
  }

  /** Every key after {@code step}, in the order first seen. */
  public List<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    for (JsonObject l : lines) {
      keys.addAll(l.keySet());
    }
    keys.remove("step");
    return List.copyOf(keys);
  }

  /** The loss terms of the training lines ({@code recon}, {@code kl}; {@code flow}), as they enter the loss. */
  public List<String> lossTerms() {
    return keys().stream().filter(k -> !NOT_TERMS.contains(k) && !k.startsWith("val_")).toList();
  }

  /** The lines holding {@code key} as a finite number, in file order. */
  public Series series(String key) {
    List<double[]> points = new ArrayList<>();
    for (JsonObject l : lines) {
      JsonElement v = l.get(key);
      if (v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
        double d = v.getAsDouble();
        if (Double.isFinite(d)) {
          points.add(new double[] {l.get("step").getAsDouble(), d});
        }
      }
    }
    double[] steps = new double[points.size()];
    double[] values = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      steps[i] = points.get(i)[0];
      values[i] = points.get(i)[1];
    }
    return new Series(key, steps, values);
  }
}
