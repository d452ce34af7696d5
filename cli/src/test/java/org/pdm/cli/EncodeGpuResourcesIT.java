package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code pdm encode} submitted to a {@code local-cluster} whose worker announces two fake GPUs through a
 * discovery script: the executor's tasks receive GPU addresses from Spark's resource scheduling, and
 * the device policy maps them (to the CPU here, where libtorch sees no GPU), logged in the executor's
 * log. The dataset and checkpoint come from the stage commands run in this JVM first.
 */
class EncodeGpuResourcesIT {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final Path WORK = TARGET.resolve("encode-gpu-it");

  @Test
  void tasksReceiveGpuAddressesAndTheDevicePolicyMapsThem() throws Exception {
    deleteRecursively(WORK);
    Files.createDirectories(WORK);
    Path work = WORK.resolve("work");
    String[] common = {"work-dir=" + work, "progress.enabled=false", "spark.master=\"local[2]\""};
    run(common, "synth", "--out", WORK.resolve("photos").toString(), "--count", "4", "--min-size", "64x32",
        "synth.off-spec-fraction=0");
    run(common, "ingest", "--source", "files", "--in", WORK.resolve("photos").toString());
    run(common, "preprocess", "--preset", "custom", "preprocess.custom.size=32x32", "preprocess.custom.min-size=32x32",
        "preprocess.filters.min-sharpness=0", "preprocess.filters.dedupe=false");
    run(common, "model", "init", "--config", "autoencoder-tiny");

    // A SPARK_HOME of its own (jars linked from the Maven copy) so that the worker's work/ is fresh.
    Path home = WORK.resolve("spark-home");
    Files.createDirectories(home);
    Files.createSymbolicLink(home.resolve("jars"), TARGET.resolve("spark-home/jars"));
    Path script = WORK.resolve("gpus.sh");
    Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path out = WORK.resolve("latents");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(Files.readString(TARGET.getParent().getParent().resolve("bin/jvm-flags")).trim()
        .split(" ")));
    command.addAll(List.of("-Xmx1g", "-Dai.djl.offline=true", "-cp", home.resolve("jars") + File.separator + "*",
        "org.apache.spark.deploy.SparkSubmit", "--master", "local-cluster[1,2,1024]", "--class", "org.pdm.cli.Main",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.worker.resource.gpu.amount=2",
        "--conf", "spark.worker.resource.gpu.discoveryScript=" + script,
        "--conf", "spark.executor.resource.gpu.amount=2",
        "--conf", "spark.task.resource.gpu.amount=1",
        sparkJar().toString(), "encode", "--dataset", work.resolve("preprocess").toString(), "--autoencoder",
        work.resolve("autoencoder").toString(), "--out", out.toString(), "encode.partitions=2",
        "encode.batch-size=2", "progress.enabled=false"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(WORK.resolve("submit.log").toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    Process submit = pb.start();
    boolean finished = submit.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      submit.descendants().forEach(ProcessHandle::destroyForcibly);
      submit.destroyForcibly();
    }
    String log = Files.readString(WORK.resolve("submit.log"));
    assertTrue(finished, "spark-submit finished in time:\n" + tail(log));
    assertEquals(0, submit.exitValue(), tail(log));
    assertTrue(log.matches("(?s).*\\n  encoded +4\\n.*"), tail(log));

    // The executor's log: each task's addresses mapped by the device policy, each choice logged once.
    StringBuilder executorLogs = new StringBuilder();
    try (Stream<Path> files = Files.walk(home.resolve("work"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
        executorLogs.append(Files.readString(f));
      }
    }
    Matcher m = Pattern.compile("model device: GPU address (\\d+) given, but the DJL engine sees 0 GPU\\(s\\)[^\\n]*: CPU")
        .matcher(executorLogs);
    Set<String> addresses = new TreeSet<>();
    int lines = 0;
    while (m.find()) {
      addresses.add(m.group(1));
      lines++;
    }
    assertFalse(addresses.isEmpty(), "the executor logged its tasks' GPU addresses:\n" + tail(executorLogs.toString()));
    assertTrue(Set.of("0", "1").containsAll(addresses), addresses.toString());
    assertEquals(addresses.size(), lines, "each choice logged once per executor");
  }

  private static void run(String[] common, String... args) {
    String[] all = Stream.concat(Arrays.stream(args), Arrays.stream(common)).toArray(String[]::new);
    CapturedRun r = CapturedRun.of(all);
    assertEquals(0, r.code(), r.out() + "\n" + r.err());
  }

  private static Path sparkJar() throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(p -> p.getFileName().toString().matches("pdm-.*-spark\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no pdm-*-spark.jar in " + TARGET + ": run mvn package"));
    }
  }

  private static String tail(String s) {
    return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
