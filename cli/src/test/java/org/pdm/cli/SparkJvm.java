package org.pdm.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the cluster tests share: a Spark JVM (Master, Worker, SparkSubmit) started from the Maven copy
 * of Spark's jars with Spark's module flags and our environment, the shaded jar to submit, and the
 * executors' logs.
 */
final class SparkJvm {
  static final Path TARGET = Path.of("target").toAbsolutePath();
  /** Spark's runtime jars, copied by Maven before the integration tests. */
  static final Path MAVEN_SPARK_HOME = TARGET.resolve("spark-home");

  private SparkJvm() {}

  /**
   * Starts {@code mainClass} from {@code sparkHome}'s jars, its output in {@code log}.
   *
   * @param jvmOptions options before the main class (heap, -D settings)
   */
  static Process start(Path sparkHome, Path log, List<String> jvmOptions, String mainClass, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(Files.readString(TARGET.getParent().getParent().resolve("bin/jvm-flags")).trim()
        .split(" ")));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", sparkHome.resolve("jars") + File.separator + "*", mainClass));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    return pb.start();
  }

  /** A SPARK_HOME of its own under {@code dir} (jars linked from Maven's copy), so that its work/ is fresh. */
  static Path freshSparkHome(Path dir) throws IOException {
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home);
    Files.createSymbolicLink(home.resolve("jars"), MAVEN_SPARK_HOME.resolve("jars"));
    return home;
  }

  /** The shaded jar that spark-submit users get. */
  static Path sparkJar() throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(p -> p.getFileName().toString().matches("pdm-.*-spark\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no pdm-*-spark.jar in " + TARGET + ": run mvn package"));
    }
  }

  /** The executors' stderr logs under {@code dir} (a worker's work folder), concatenated. */
  static String executorLogs(Path dir) throws IOException {
    StringBuilder all = new StringBuilder();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
          all.append(Files.readString(f));
        }
      }
    }
    return all.toString();
  }

  static String tail(String log) {
    return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
