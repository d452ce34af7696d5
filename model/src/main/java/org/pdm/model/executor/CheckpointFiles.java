package org.pdm.model.executor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A model checkpoint folder on any Hadoop file system: its content hash (the registry's key and the
 * cache's identity) computed on the driver, and a local copy made once per executor JVM, because
 * libtorch and {@code Checkpoint} read local files.
 */
public final class CheckpointFiles {
  /** What a model needs of a checkpoint; the optimizer state is not read. */
  public static final List<String> MODEL_FILES = List.of("checkpoint.json", "model.conf", "weights.safetensors",
      "ema.safetensors");

  private CheckpointFiles() {}

  /** SHA-256 over the names and bytes of {@link #MODEL_FILES}, hex. */
  public static String hash(Configuration conf, String dir) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(conf);
    MessageDigest sha = sha256();
    byte[] buf = new byte[1 << 16];
    for (String name : MODEL_FILES) {
      Path f = new Path(root, name);
      if (!fs.exists(f)) {
        throw new IOException(dir + " is not a model checkpoint (no " + name + "): give a folder written by "
            + "pdm model init or a training stage");
      }
      sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try (InputStream in = fs.open(f)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * A local folder with the checkpoint's {@link #MODEL_FILES}: the folder itself when it is on the
   * local file system, else a copy under {@code java.io.tmpdir/pdm-checkpoints/<hash>} made once per
   * JVM (written to a temporary sibling and renamed, so that a half copy is never used).
   */
  public static synchronized java.nio.file.Path local(Configuration conf, String dir, String hash) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(conf);
    if ("file".equals(fs.getScheme())) {
      return java.nio.file.Path.of(fs.makeQualified(root).toUri());
    }
    java.nio.file.Path base = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "pdm-checkpoints");
    java.nio.file.Path target = base.resolve(hash);
    if (Files.isRegularFile(target.resolve("checkpoint.json"))) {
      return target;
    }
    Files.createDirectories(base);
    java.nio.file.Path tmp = Files.createTempDirectory(base, hash + ".tmp-");
    for (String name : MODEL_FILES) {
      fs.copyToLocalFile(false, new Path(root, name), new Path(tmp.resolve(name).toUri()), true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target);
    }
    return target;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
