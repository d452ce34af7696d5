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

  /** True when this output was made by the same stage from the same configuration and inputs. */
  boolean matches(String stage, String configHash, String inputFingerprint) {
    return this.stage.equals(stage) && this.configHash.equals(configHash)
        && this.inputFingerprint.equals(inputFingerprint);
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
