package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
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
  private static final Path WORK = SparkJvm.TARGET.resolve("encode-gpu-it");

  @Test
  void tasksReceiveGpuAddressesAndTheDevicePolicyMapsThem() throws Exception {
    SparkJvm.deleteRecursively(WORK);
    Files.createDirectories(WORK);
    Path work = WORK.resolve("work");
    String[] common = {"work-dir=" + work, "progress.enabled=false", "spark.master=\"local[2]\""};
    run(common, "synth", "--out", WORK.resolve("photos").toString(), "--count", "4", "--min-size", "64x32",
        "synth.off-spec-fraction=0");
    run(common, "ingest", "--source", "files", "--in", WORK.resolve("photos").toString());
    run(common, "preprocess", "--preset", "custom", "preprocess.custom.size=32x32", "preprocess.custom.min-size=32x32",
        "preprocess.filters.min-sharpness=0", "preprocess.filters.dedupe=false");
    run(common, "model", "init", "--config", "autoencoder-tiny");

    Path home = SparkJvm.freshSparkHome(WORK);
    Path script = WORK.resolve("gpus.sh");
    Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    Path out = WORK.resolve("latents");
    Process submit = SparkJvm.start(home, WORK.resolve("submit.log"), List.of("-Xmx1g", "-Dai.djl.offline=true"),
        "org.apache.spark.deploy.SparkSubmit", List.of("--master", "local-cluster[1,2,1024]", "--class",
        "org.pdm.cli.Main",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.worker.resource.gpu.amount=2",
        "--conf", "spark.worker.resource.gpu.discoveryScript=" + script,
        "--conf", "spark.executor.resource.gpu.amount=2",
        "--conf", "spark.task.resource.gpu.amount=1",
        SparkJvm.sparkJar().toString(), "encode", "--dataset", work.resolve("preprocess").toString(), "--autoencoder",
        work.resolve("autoencoder").toString(), "--out", out.toString(), "encode.partitions=2",
        "encode.batch-size=2", "progress.enabled=false"));
    boolean finished = submit.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      submit.descendants().forEach(ProcessHandle::destroyForcibly);
      submit.destroyForcibly();
    }
    String log = Files.readString(WORK.resolve("submit.log"));
    assertTrue(finished, "spark-submit finished in time:\n" + SparkJvm.tail(log));
    assertEquals(0, submit.exitValue(), SparkJvm.tail(log));
    assertTrue(log.matches("(?s).*\\n  encoded +4\\n.*"), SparkJvm.tail(log));

    // The executor's log: each task's addresses mapped by the device policy, each choice logged once.
    String executorLogs = SparkJvm.executorLogs(home.resolve("work"));
    Matcher m = Pattern.compile("model device: GPU address (\\d+) given, but the DJL engine sees 0 GPU\\(s\\)[^\\n]*: CPU")
        .matcher(executorLogs);
    Set<String> addresses = new TreeSet<>();
    int lines = 0;
    while (m.find()) {
      addresses.add(m.group(1));
      lines++;
    }
    assertFalse(addresses.isEmpty(), "the executor logged its tasks' GPU addresses:\n" + SparkJvm.tail(executorLogs));
    assertTrue(Set.of("0", "1").containsAll(addresses), addresses.toString());
    assertEquals(addresses.size(), lines, "each choice logged once per executor");
  }

  private static void run(String[] common, String... args) {
    String[] all = Stream.concat(Arrays.stream(args), Arrays.stream(common)).toArray(String[]::new);
    CapturedRun r = CapturedRun.of(all);
    assertEquals(0, r.code(), r.out() + "\n" + r.err());
  }
}
