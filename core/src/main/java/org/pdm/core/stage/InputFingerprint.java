package org.pdm.core.stage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A hash of what a stage reads: for every file under its inputs, the path relative to the input,
 * its length and its modification time (as make and rsync decide). Hidden files ({@code .name})
 * and Spark's bookkeeping ({@code _SUCCESS}, {@code _temporary}) do not count; a stage output's
 * {@code _manifest.json} does, so a redone upstream stage changes the fingerprint downstream.
 */
public final class InputFingerprint {
  private InputFingerprint() {}

  /** Each input is read on its own file system (found through {@code conf}), which may differ from the output's. */
  public static String of(Configuration conf, List<String> inputs) throws IOException {
    MessageDigest sha = sha256();
    for (String input : inputs) {
      Path root = new Path(input);
      FileSystem fs = root.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(root);
      if (matches == null || matches.length == 0) {
        throw new java.io.FileNotFoundException("input " + input + " does not exist");
      }
      for (FileStatus match : matches) {
        for (String line : describe(fs, match)) {
          sha.update(line.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static List<String> describe(FileSystem fs, FileStatus top) throws IOException {
    List<String> lines = new ArrayList<>();
    String prefix = top.getPath().toString();
    if (top.isFile()) {
      lines.add(top.getPath().getName() + "\t" + top.getLen() + "\t" + top.getModificationTime() + "\n");
      return lines;
    }
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(top.getPath(), true);
    while (files.hasNext()) {
      LocatedFileStatus f = files.next();
      String rel = f.getPath().toString().substring(prefix.length());
      if (counts(rel)) {
        lines.add(rel + "\t" + f.getLen() + "\t" + f.getModificationTime() + "\n");
      }
    }
    lines.sort(null);
    return lines;
  }

  private static boolean counts(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith(".") || (part.startsWith("_") && !part.equals(StageManifest.FILE))) {
        return false;
      }
    }
    return true;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hash(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
