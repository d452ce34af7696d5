package org.pdm.core.stage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code _manifest.json}, written beside Spark's {@code _SUCCESS} in every committed stage output.
 * Readable by any JSON tool; {@code format} changes only when fields change meaning.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageManifest(
    int format,
    String stage,
    String codeVersion,
    JsonNode config,
    String configHash,
    List<String> inputs,
    String inputFingerprint,
    Map<String, Long> counts,
    Map<String, Double> timingsSeconds,
    String startedAt,
    String finishedAt,
    double seconds) {

  public static final String FILE = "_manifest.json";
  public static final int FORMAT = 1;
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);

  /**
   * Why this output is not what {@code stage} would make now from this configuration and these
   * inputs, or null when it is (the skip test of every stage). The inputs are fingerprinted only
   * when everything else matches, since that lists every input file.
   */
  String staleReason(String stage, String configHash,
      org.apache.hadoop.util.functional.CallableRaisingIOE<String> inputFingerprint) throws IOException {
    if (!this.stage.equals(stage)) {
      return "written by " + this.stage;
    }
    if (finishedAt == null) {
      return "unfinished: a run stopped before it ended, the next one resumes it";
    }
    if (!this.configHash.equals(configHash)) {
      return "configuration changed";
    }
    return this.inputFingerprint.equals(inputFingerprint.apply()) ? null : "inputs changed";
  }

  public static StageManifest read(FileSystem fs, Path outputDir) throws IOException {
    try (InputStream in = fs.open(new Path(outputDir, FILE))) {
      return JSON.readValue(in, StageManifest.class);
    }
  }

  void write(FileSystem fs, Path dir) throws IOException {
    try (OutputStream out = fs.create(new Path(dir, FILE), true)) {
      JSON.writeValue(out, this);
    }
  }
}
