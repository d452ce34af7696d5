package org.pdm.core.stage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.security.AccessControlException;

/**
 * What a stage may replace: only an output that the same stage wrote (a folder holding its
 * {@code _manifest.json}), an empty folder or nothing. Anything else (a file, a folder with other
 * content, another stage's output) and an output that cannot be written are refused with a
 * {@link StagePathException} before any work, so that a mistyped {@code --out} never costs the user
 * a file. Commands call it before Spark starts; {@link StageOutput} calls it again under its lock.
 */
public final class OutputGuard {
  private OutputGuard() {}

  public static void check(Configuration hadoop, String out, String stage) throws IOException {
    Path path = new Path(out);
    FileSystem fs = path.getFileSystem(hadoop);
    check(fs, fs.makeQualified(path), stage);
  }

  static void check(FileSystem fs, Path out, String stage) throws IOException {
    String shown = "output " + FileSystems.display(out);
    FileStatus status = status(fs, out);
    if (status == null) {
      Path ancestor = out.getParent();
      FileStatus found = null;
      while (ancestor != null && (found = status(fs, ancestor)) == null) {
        ancestor = ancestor.getParent();
      }
      if (found != null && !found.isDirectory()) {
        throw new StagePathException(shown + " cannot be created: " + FileSystems.display(ancestor)
            + " is a file, not a folder");
      }
      if (ancestor != null) {
        requireWritable(fs, ancestor, shown + " cannot be created");
      }
      return;
    }
    if (!status.isDirectory()) {
      throw new StagePathException(shown + " is a file, not a folder: " + stage + " writes a folder; give a new "
          + "or empty folder (nothing was touched)");
    }
    FileStatus[] children = fs.listStatus(out);
    if (children.length > 0) {
      String owner = ownerStage(fs, out);
      if (owner == null) {
        throw new StagePathException(shown + " holds files that " + stage + " did not write (" + names(children)
            + "): " + stage + " replaces only a folder it wrote; give a new or empty folder (nothing was touched)");
      }
      if (!owner.equals(stage)) {
        throw new StagePathException(shown + " holds the output of " + owner + ", not of " + stage
            + ": give another folder (nothing was touched)");
      }
    }
    requireWritable(fs, out, shown + " cannot be written");
    if (out.getParent() != null) {
      requireWritable(fs, out.getParent(), shown + " cannot be replaced");
    }
  }

  /** The stage named by the folder's manifest; null when it has none; "an unreadable manifest" for a bad one. */
  static String ownerStage(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(new Path(dir, StageManifest.FILE))) {
      return null;
    }
    try {
      String stage = StageManifest.read(fs, dir).stage();
      return stage != null ? stage : "an unknown stage (its " + StageManifest.FILE + " names none)";
    } catch (IOException e) {
      return "an unknown stage (its " + StageManifest.FILE + " cannot be read)";
    }
  }

  /** Up to three entry names (folders with a trailing /), then how many more. */
  static String names(FileStatus[] entries) {
    String[] names = Arrays.stream(entries).map(s -> s.getPath().getName() + (s.isDirectory() ? "/" : ""))
        .sorted().toArray(String[]::new);
    String shown = String.join(", ", Arrays.copyOf(names, Math.min(3, names.length)));
    return names.length > 3 ? shown + " and " + (names.length - 3) + " more" : shown;
  }

  /**
   * Hadoop's check against the permission bits, the same on every file system: on a local disk it
   * refuses a folder made read-only (chmod a-w) even to root, who could still write there.
   */
  private static void requireWritable(FileSystem fs, Path dir, String what) throws IOException {
    try {
      fs.access(dir, FsAction.WRITE);
    } catch (AccessControlException e) {
      throw new StagePathException(what + ": " + FileSystems.display(dir) + " is read-only ("
          + fs.getFileStatus(dir).getPermission() + ")");
    }
  }

  private static FileStatus status(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return null;
    }
  }
}
