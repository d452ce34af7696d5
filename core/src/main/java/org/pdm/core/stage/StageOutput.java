package org.pdm.core.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a stage's output folder atomically, with a manifest.
 *
 * <p>The work writes into {@code .<name>.tmp-<id>} beside the output; only when it returns is the
 * old output moved to {@code .<name>.old} and the new one renamed into place, then the old one
 * deleted. Readers never see a half-written output and a crash leaves the previous one intact (a
 * crash between the two renames is repaired by the next run, which moves {@code .old} back). A
 * rerun whose stage, configuration and inputs equal the manifest's is skipped unless forced.
 * A lock file keeps two runs from writing the same output at once.
 */
public final class StageOutput {
  private static final Logger LOG = LoggerFactory.getLogger(StageOutput.class);

  private final FileSystem fs;
  private final Path output;

  private StageOutput(FileSystem fs, Path output) {
    this.fs = fs;
    this.output = output;
  }

  public static StageOutput at(Configuration hadoop, String dir) throws IOException {
    Path path = new Path(dir);
    FileSystem fs = FileSystems.forPath(path, hadoop);
    return new StageOutput(fs, fs.makeQualified(path));
  }

  public Path path() {
    return output;
  }

  public FileSystem fs() {
    return fs;
  }

  /** The manifest of the committed output, or null when there is none. */
  public StageManifest manifest() throws IOException {
    return fs.exists(new Path(output, StageManifest.FILE)) ? StageManifest.read(fs, output) : null;
  }

  public StageResult run(StageSpec spec, boolean force, StageWork work) throws Exception {
    Path parent = output.getParent();
    fs.mkdirs(parent);
    try (OutputLock lock = OutputLock.acquire(fs, output)) {
      Path old = sibling(".old");
      recover(old);
      String configHash = InputFingerprint.hash(spec.configJson());
      String fingerprint = spec.inputs().isEmpty() ? "" : InputFingerprint.of(fs, spec.inputs());
      StageManifest existing = manifest();
      if (!force && existing != null && existing.matches(spec.stage(), configHash, fingerprint)) {
        LOG.debug("{}: {} is up to date; skipped", spec.stage(), output);
        return new StageResult(true, FileSystems.display(output), existing);
      }
      Path tmp = sibling(".tmp-" + UUID.randomUUID());
      try {
        fs.mkdirs(tmp);
        Instant started = Instant.now();
        StageContext context = new StageContext(fs, tmp, output);
        work.write(context);
        Instant finished = Instant.now();
        JsonNode config = StageManifest.JSON.readTree(spec.configJson());
        StageManifest manifest = new StageManifest(StageManifest.FORMAT, spec.stage(), CodeVersion.get(), config,
            configHash, spec.inputs(), fingerprint, new LinkedHashMap<>(context.counts()),
            new LinkedHashMap<>(context.timings()), started.toString(), finished.toString(),
            (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0);
        manifest.write(fs, tmp);
        fs.create(new Path(tmp, "_SUCCESS"), true).close();
        swap(tmp, old);
        return new StageResult(false, FileSystems.display(output), manifest);
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      }
    }
  }

  private void swap(Path tmp, Path old) throws IOException {
    if (fs.exists(output)) {
      rename(output, old);
    }
    rename(tmp, output);
    if (fs.exists(old)) {
      fs.delete(old, true);
    }
  }

  /** Undoes what a crashed run left: an output moved aside but not replaced, temporary folders. */
  private void recover(Path old) throws IOException {
    if (!fs.exists(output) && fs.exists(old)) {
      LOG.warn("restoring {} from {}: an earlier run stopped while replacing it", output, old);
      rename(old, output);
    } else if (fs.exists(old)) {
      fs.delete(old, true);
    }
    FileStatus[] leftovers = fs.globStatus(sibling(".tmp-*"));
    if (leftovers != null) {
      for (FileStatus s : leftovers) {
        LOG.info("removing {}, left by a run that did not finish", s.getPath());
        fs.delete(s.getPath(), true);
      }
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
  }

  private Path sibling(String suffix) {
    return new Path(output.getParent(), "." + output.getName() + suffix);
  }
}
