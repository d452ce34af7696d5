package org.pdm.eval.fid;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.util.SerializableConfiguration;
import org.pdm.model.executor.ModelRegistry;

/**
 * What a task needs to find its executor's feature extractor: the TorchScript file's Hadoop path and
 * sha256 (the registry's key, and part of every result); small and serializable, never the model.
 */
public record DetectorSource(String path, String sha256, SerializableConfiguration hadoop) implements Serializable {

  /** The source of {@code path}, hashed on the driver. */
  public static DetectorSource of(Configuration conf, String path) throws IOException {
    return new DetectorSource(path, sha256(conf, path), new SerializableConfiguration(conf));
  }

  /** SHA-256 of a file on any Hadoop file system, hex. */
  public static String sha256(Configuration conf, String file) throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p) || fs.getFileStatus(p).isDirectory()) {
      throw new org.pdm.core.stage.StagePathException("feature extractor " + file + " is not a file: set pdm.eval.inception "
          + "to inception-2015-12-05.pt (pdm eval fetch-inception downloads it) or another TorchScript with "
          + "forward(img, return_features)");
    }
    try (InputStream in = new DigestInputStream(fs.open(p), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** This JVM's extractor on {@code device}, loaded the first time. */
  public ModelRegistry.Entry<FeatureNetwork> get(Device device) throws Exception {
    return ModelRegistry.get(ModelRegistry.Key.of(sha256, device, "fid-features"),
        () -> FeatureNetwork.load(local(), device));
  }

  /** A local copy of the file: itself on a local disk, else one copy per JVM under the temp folder. */
  private java.nio.file.Path local() throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(hadoop.value());
    if (fs.getUri().getScheme() == null || fs.getUri().getScheme().equals("file")) {
      return java.nio.file.Path.of(fs.makeQualified(p).toUri());
    }
    java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "pdm-detectors");
    java.nio.file.Path target = dir.resolve(sha256 + ".pt");
    synchronized (DetectorSource.class) {
      if (!Files.exists(target)) {
        Files.createDirectories(dir);
        java.nio.file.Path tmp = Files.createTempFile(dir, sha256, ".part");
        try (InputStream in = fs.open(p)) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return target;
  }
}
