package org.pdm.core.stage;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * For stages that grow their output in committed parts instead of replacing it whole (ingest
 * appends a part per run): the same lock and manifest that {@link StageOutput} uses, so that such a
 * stage and a forced {@link StageOutput#run} of the same folder still exclude each other.
 */
public final class PartedOutputs {
  private PartedOutputs() {}

  /** Locks {@code output} against other writers ({@code .<name>.lock} beside it) until closed. */
  public static AutoCloseable lock(FileSystem fs, Path output) throws IOException {
    return OutputLock.acquire(fs, output);
  }

  /** Writes {@code _manifest.json} into {@code dir}. */
  public static void writeManifest(StageManifest manifest, FileSystem fs, Path dir) throws IOException {
    manifest.write(fs, dir);
  }

  /** The hash {@link StageOutput} records for a configuration's JSON. */
  public static String configHash(String configJson) {
    return InputFingerprint.hash(configJson);
  }

  /** True when {@code manifest} was written by this stage, configuration and inputs. */
  public static boolean matches(StageManifest manifest, String stage, String configHash, String fingerprint) {
    return manifest.matches(stage, configHash, fingerprint);
  }
}
