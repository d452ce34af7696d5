package org.pdm.eval.fid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.InputFingerprint;

/**
 * The real side's statistics and features, kept between runs: a 50K-picture reference set is
 * extracted once per (input fingerprint, detector sha256, mode, input size, N) and every later FID
 * against it reads the cache ({@code <key>/stats.npz}, {@code <key>/features/}, {@code <key>/key.txt}).
 * An entry appears whole (written beside and renamed) or not at all.
 */
public final class StatsCache {
  private final FileSystem fs;
  private final Path dir;

  public StatsCache(Configuration conf, String dir) throws IOException {
    Path p = new Path(dir);
    this.fs = FileSystems.forPath(p, conf);
    this.dir = fs.makeQualified(p);
  }

  /** The key text of an input: what decides its statistics. */
  public static String key(Configuration conf, FidInput input, String detectorSha, ResizeMode mode, int size,
      long n) throws IOException {
    return "input=" + input.path() + "\nfingerprint=" + InputFingerprint.of(conf, List.of(input.path().toString()))
        + "\ndetector=" + detectorSha + "\nmode=" + mode.label() + "\nsize=" + size + "\nn=" + n + "\n";
  }

  /** The entry folder of a key, whether it exists or not. */
  public Path entry(String key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return new Path(dir, HexFormat.of().formatHex(h).substring(0, 32));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cached statistics, or null when the key has no complete entry. */
  public GaussianStats stats(String key) throws IOException {
    Path e = entry(key);
    Path npz = new Path(e, "stats.npz");
    if (!fs.exists(npz) || !fs.exists(new Path(e, "features"))) {
      return null;
    }
    try (InputStream in = fs.open(npz)) {
      return GaussianStats.fromNpz(Npz.read(in, npz.toString()), npz.toString());
    }
  }

  /** Stores statistics with a copy of their features folder. */
  public void put(String key, GaussianStats stats, Path features) throws IOException {
    Path e = entry(key);
    if (fs.exists(e)) {
      return; // another run stored it meanwhile; entries of one key are equal
    }
    Path tmp = new Path(dir, "." + e.getName() + ".tmp-" + UUID.randomUUID());
    fs.mkdirs(tmp);
    try {
      FileUtil.copy(features.getFileSystem(fs.getConf()), features, fs, new Path(tmp, "features"), false, fs.getConf());
      try (OutputStream out = fs.create(new Path(tmp, "stats.npz"))) {
        Npz.write(out, stats.toNpz());
      }
      try (OutputStream out = fs.create(new Path(tmp, "key.txt"))) {
        out.write(key.getBytes(StandardCharsets.UTF_8));
      }
      if (!fs.rename(tmp, e) && !fs.exists(e)) {
        throw new IOException("could not move " + tmp + " to " + e);
      }
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, true);
      }
    }
  }
}
