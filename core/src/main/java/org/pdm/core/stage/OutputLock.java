package org.pdm.core.stage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A lock file beside an output ({@code .<name>.lock}), created exclusively so that two runs
 * writing the same output cannot both proceed. It holds the owner's host, pid and start time; a
 * lock left by a crashed run on this host (its pid is gone) is taken over, any other is refused.
 */
public final class OutputLock implements AutoCloseable {
  private final FileSystem fs;
  private final Path file;

  private OutputLock(FileSystem fs, Path file) {
    this.fs = fs;
    this.file = file;
  }

  static OutputLock acquire(FileSystem fs, Path output) throws IOException {
    return acquire(fs, output, "output " + output + " is being written by another run");
  }

  /**
   * Locks {@code .<name>.lock} beside {@code output}; when a live run holds it, throws
   * {@link StageConflictException} (exit 3) with {@code busy}, the holder and what to do.
   */
  public static OutputLock acquire(FileSystem fs, Path output, String busy) throws IOException {
    Path file = new Path(output.getParent(), "." + output.getName() + ".lock");
    String owner = host() + " " + ProcessHandle.current().pid() + " " + Instant.now();
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        createExclusively(fs, file, owner);
        return new OutputLock(fs, file);
      } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
        String holder = read(fs, file);
        if (attempt == 0 && isStale(holder)) {
          System.err.println("pdm: taking over the lock of a run that ended without releasing it (" + holder + "): " + file);
          fs.delete(file, false);
          continue;
        }
        throw new StageConflictException(busy + " (host, pid, since: " + holder + "). Wait for it to finish; if no such run is alive, delete " + file + " and run again.");
      }
    }
    throw new StageConflictException("could not lock " + output + " (" + file + ")");
  }

  /**
   * On a local disk, Hadoop's create-if-absent checks and then creates; O_EXCL through NIO is atomic.
   * HDFS's create without overwrite is atomic at the name node.
   */
  private static void createExclusively(FileSystem fs, Path file, String owner) throws IOException {
    byte[] bytes = owner.getBytes(StandardCharsets.UTF_8);
    if ("file".equals(fs.getUri().getScheme())) {
      java.nio.file.Files.write(java.nio.file.Paths.get(file.toUri()), bytes, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      return;
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
    }
  }

  /** Who holds the lock of {@code output} now (host, pid, since), or null when no live run does. */
  public static String holder(FileSystem fs, Path output) throws IOException {
    Path file = new Path(output.getParent(), "." + output.getName() + ".lock");
    if (!fs.exists(file)) {
      return null;
    }
    String holder = read(fs, file).trim();
    return holder.equals("(released meanwhile)") || isStale(holder) ? null : holder;
  }

  private static boolean isStale(String holder) {
    String[] parts = holder.trim().split(" ");
    if (parts.length < 2 || !parts[0].equals(host())) {
      return false;
    }
    try {
      return ProcessHandle.of(Long.parseLong(parts[1])).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException e) {
      return "(released meanwhile)";
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public void close() throws IOException {
    fs.delete(file, false);
  }
}
