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
 * A lock file keeps two runs from writing the same output at once, and {@link OutputGuard} keeps
 * every run from replacing a folder that this stage did not write.
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

  /** Whether an interrupted run left work in the output that a rerun must finish, though nothing else changed. */
  @FunctionalInterface
  public interface Leftover {
    boolean in(FileSystem fs, Path output) throws IOException;
  }

  /** Whether a run of {@code spec} would be skipped now, and if not, why: what {@code pdm status} shows. */
  public record Freshness(boolean upToDate, String reason) {}

  /**
   * The skip test of {@link #run}, without running or locking: up to date when the committed output
   * was made by the same stage from the same configuration and inputs. A run in progress (its lock
   * held by a live process) is reported as such.
   */
  public Freshness freshness(StageSpec spec) throws IOException {
    String holder = OutputLock.holder(fs, output);
    if (holder != null) {
      return new Freshness(false, "running (" + holder + ")");
    }
    StageManifest existing = manifest();
    if (existing == null) {
      return new Freshness(false, fs.exists(output) ? "no manifest in " + FileSystems.display(output) : "missing");
    }
    String reason;
    try {
      reason = existing.staleReason(spec.stage(), InputFingerprint.hash(spec.configJson()),
          () -> spec.inputs().isEmpty() ? "" : InputFingerprint.of(fs.getConf(), spec.inputs()));
    } catch (java.io.FileNotFoundException e) {
      return new Freshness(false, "input missing: " + e.getMessage());
    }
    if (reason != null) {
      return new Freshness(false, reason);
    }
    return new Freshness(true, "up to date (" + existing.finishedAt() + ")");
  }

  public StageResult run(StageSpec spec, boolean force, StageWork work) throws Exception {
    return commit(spec, force, false, (fs, dir) -> false, work);
  }

  /**
   * For a stage that grows its output by parts it commits itself (ingest adds files to {@code raw/}
   * every run): the same guard, lock, recovery, skip test and manifest as {@link #run}, but the work
   * writes into the output in place; {@code leftover} makes an interrupted run's rest be finished. A
   * forced run starts over as {@link #run} does, in a fresh folder swapped in.
   */
  public StageResult append(StageSpec spec, boolean force, Leftover leftover, StageWork work) throws Exception {
    return commit(spec, force, true, leftover, work);
  }

  private StageResult commit(StageSpec spec, boolean force, boolean inPlace, Leftover leftover, StageWork work)
      throws Exception {
    OutputGuard.check(fs, output, spec.stage());
    fs.mkdirs(output.getParent());
    try (OutputLock lock = OutputLock.acquire(fs, output)) {
      Path old = sibling(".old");
      recover(old);
      String configHash = InputFingerprint.hash(spec.configJson());
      String fingerprint = spec.inputs().isEmpty() ? "" : InputFingerprint.of(fs.getConf(), spec.inputs());
      StageManifest existing = manifest();
      if (!force && existing != null && existing.staleReason(spec.stage(), configHash, () -> fingerprint) == null
          && !leftover.in(fs, output)) {
        LOG.debug("{}: {} is up to date; skipped", spec.stage(), output);
        return new StageResult(true, FileSystems.display(output), existing);
      }
      if (inPlace && !force) {
        fs.mkdirs(output);
        if (existing == null) {
          // Marks the folder as this stage's before any part lands in it, so that a run that dies
          // is resumed by the next one instead of refused as someone else's folder. Its fingerprint
          // matches no inputs (not even none), so the next run is never skipped.
          StageContext none = new StageContext(fs, output, output);
          manifest(spec, configHash, "unfinished", none, Instant.now(), null).write(fs, output);
        }
        return new StageResult(false, FileSystems.display(output), write(spec, configHash, fingerprint, output, work));
      }
      Path tmp = sibling(".tmp-" + UUID.randomUUID());
      try {
        fs.mkdirs(tmp);
        StageManifest manifest = write(spec, configHash, fingerprint, tmp, work);
        swap(tmp, old);
        return new StageResult(false, FileSystems.display(output), manifest);
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      }
    }
  }

  /** Runs the work into {@code dir}, then writes the manifest and {@code _SUCCESS} there. */
  private StageManifest write(StageSpec spec, String configHash, String fingerprint, Path dir, StageWork work)
      throws Exception {
    Instant started = Instant.now();
    StageContext context = new StageContext(fs, dir, output);
    work.write(context);
    StageManifest manifest = manifest(spec, configHash, fingerprint, context, started, Instant.now());
    manifest.write(fs, dir);
    fs.create(new Path(dir, "_SUCCESS"), true).close();
    return manifest;
  }

  /** The one manifest writer of every stage; {@code finished} is null for the mark of a run in progress. */
  private static StageManifest manifest(StageSpec spec, String configHash, String fingerprint, StageContext context,
      Instant started, Instant finished) throws IOException {
    JsonNode config = StageManifest.JSON.readTree(spec.configJson());
    return new StageManifest(StageManifest.FORMAT, spec.stage(), CodeVersion.get(), config, configHash,
        spec.inputs(), fingerprint, new LinkedHashMap<>(context.counts()), new LinkedHashMap<>(context.timings()),
        started.toString(), finished == null ? null : finished.toString(),
        finished == null ? 0 : (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0);
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
