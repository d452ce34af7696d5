package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pdm.cli.pipeline.TinyChain;
import org.pdm.core.schema.Float16;
import org.pdm.model.train.SafeTensors;

/**
 * A real Spark standalone cluster on 127.0.0.1 from the Maven jars: a Master and two Workers, each
 * its own JVM, and the shaded jar submitted with SparkSubmit. The cluster is stopped even when a
 * check fails.
 */
class StandaloneClusterIT {
  private static final Path TARGET = SparkJvm.TARGET;
  private static final Path SPARK_HOME = SparkJvm.MAVEN_SPARK_HOME;
  private static final Path WORK = TARGET.resolve("cluster-it");
  private static final List<Process> CLUSTER = new ArrayList<>();
  private static String master;

  @BeforeAll
  static void startCluster() throws Exception {
    SparkJvm.deleteRecursively(WORK);
    Files.createDirectories(WORK);
    int port = freePort();
    int ui = freePort();
    master = "spark://127.0.0.1:" + port;
    CLUSTER.add(launch("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", Integer.toString(ui)));
    for (int i = 1; i <= 2; i++) {
      CLUSTER.add(launch("worker" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
          "--memory", "1g", "--webui-port", Integer.toString(freePort()), "--work-dir",
          WORK.resolve("worker" + i).toString(), master));
    }
    awaitWorkers(ui, 2, Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopCluster() {
    for (Process p : CLUSTER) {
      p.descendants().forEach(ProcessHandle::destroyForcibly); // executors the workers started
      p.destroyForcibly();
    }
    for (Process p : CLUSTER) {
      try {
        p.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void theShadedJarLeavesSparkOutAndCarriesTheConfiguration() throws Exception {
    try (JarFile jar = new JarFile(SparkJvm.sparkJar().toFile())) {
      assertTrue(jar.getEntry("pdm-conf/application.conf") != null);
      assertTrue(jar.getEntry("org/pdm/cli/Main.class") != null);
      assertTrue(jar.getEntry("org/apache/spark/SparkContext.class") == null, "Spark is provided by the cluster");
      assertEquals("org.pdm.cli.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @Test
  void synthRunsOnTheClusterThroughSparkSubmit() throws Exception {
    Path out = WORK.resolve("synth-out");
    String log = submit("submit", 4, "synth", "--out", out.toString(), "--count", "6", "--min-size", "64x32",
        "synth.partitions=4", "progress.enabled=false");
    assertTrue(log.contains("synth: wrote " + out), SparkJvm.tail(log));

    JsonNode manifest = new ObjectMapper().readTree(out.resolve("_manifest.json").toFile());
    assertEquals(6, manifest.get("counts").get("images").asInt());
    try (Stream<Path> images = Files.list(out.resolve("images"))) {
      assertEquals(6, images.filter(p -> !p.getFileName().toString().startsWith(".")).count());
    }
    // The images were painted by executors that the workers launched, not by the driver.
    long executorLogs = 0;
    for (int i = 1; i <= 2; i++) {
      try (Stream<Path> files = Files.walk(WORK.resolve("worker" + i))) {
        executorLogs += files.filter(p -> p.getFileName().toString().equals("stderr")).count();
      }
    }
    assertTrue(executorLogs >= 1, "executors ran on the workers");
  }

  /**
   * {@code pdm pipeline} submitted to the cluster (training in the driver, every Spark stage on the
   * workers' executors) against the same chain embedded: the same dataset (ids and bytes) and the same
   * trained autoencoder (bit for bit on CPU); the latents agree to float16 rounding (the encoder's
   * float32 output differs in its last bits between executor JVMs and the embedded one, so a few
   * values round to the neighbouring float16); the samples' ids, seeds and NFE and the recon metrics
   * agree.
   */
  @Test
  void thePipelineOnTheClusterEqualsTheEmbeddedRun() throws Exception {
    Path clusterWork = WORK.resolve("pipeline-cluster");
    Path embeddedWork = WORK.resolve("pipeline-embedded");
    String[] chain = TinyChain.args(List.of("pipeline", "--to", "eval-recon"), "progress.enabled=false",
        "sample.partitions=2");
    List<String> args = new ArrayList<>(List.of(chain));
    args.add("work-dir=" + clusterWork);
    String log = submit("pipeline-submit", 8, args.toArray(String[]::new));
    for (String folder : List.of("preprocess", "autoencoder", "latents", "flow", "samples", "eval-recon")) {
      assertTrue(Files.exists(clusterWork.resolve(folder).resolve("_SUCCESS")), folder + "\n" + SparkJvm.tail(log));
    }

    CapturedRun embedded = CapturedRun.inWork(embeddedWork, chain);
    assertEquals(0, embedded.code(), embedded.out() + embedded.err());
    for (String file : List.of("autoencoder/checkpoint/weights.safetensors", "autoencoder/checkpoint/ema.safetensors")) {
      // The tensors, not the file: the header's metadata map may list its keys in another order.
      Map<String, SafeTensors.Tensor> a = SafeTensors.read(embeddedWork.resolve(file));
      Map<String, SafeTensors.Tensor> b = SafeTensors.read(clusterWork.resolve(file));
      assertEquals(a.keySet(), b.keySet(), file);
      for (String name : a.keySet()) {
        assertTrue(java.util.Arrays.equals(a.get(name).data(), b.get(name).data()), file + " " + name
            + " differs between the cluster and the embedded run");
      }
    }
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree(embeddedWork.resolve("eval-recon/recon.json").toFile()).get("psnr").asDouble(),
        json.readTree(clusterWork.resolve("eval-recon/recon.json").toFile()).get("psnr").asDouble(), 1e-3);
    SparkSession spark = SparkSession.builder().master("local[1]").appName("compare")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      List<String> dataset = rows(spark, embeddedWork.resolve("preprocess/dataset"), true);
      assertTrue(dataset.size() >= 4, "the dataset has rows: " + dataset);
      assertEquals(dataset, rows(spark, clusterWork.resolve("preprocess/dataset"), true));
      assertEquals(rows(spark, embeddedWork.resolve("samples/images"), false),
          rows(spark, clusterWork.resolve("samples/images"), false));
      Map<String, Row> a = byId(spark, embeddedWork.resolve("latents/latents"));
      Map<String, Row> b = byId(spark, clusterWork.resolve("latents/latents"));
      assertEquals(a.keySet(), b.keySet());
      for (String id : a.keySet()) {
        for (int c = 1; c < a.get(id).length(); c++) {
          byte[] x = a.get(id).getAs(c);
          byte[] y = b.get(id).getAs(c);
          assertEquals(x.length, y.length);
          for (int i = 0; i < x.length; i += 2) {
            float u = half(x[i], x[i + 1]);
            float v = half(y[i], y[i + 1]);
            assertTrue(Math.abs(u - v) <= 4e-3f * Math.max(1f, Math.abs(u)), id + " column " + c + " value " + i / 2
                + ": " + u + " vs " + v + ", more than float16 rounding apart");
          }
        }
      }
    } finally {
      spark.stop();
    }
  }

  /** A little-endian float16, as the latent cache stores it. */
  private static float half(byte lo, byte hi) {
    return Float16.toFloat((short) ((lo & 0xff) | (hi & 0xff) << 8));
  }

  private static Map<String, Row> byId(SparkSession spark, Path dir) {
    Map<String, Row> out = new java.util.TreeMap<>();
    for (Row r : spark.read().parquet(dir.toString()).collectAsList()) {
      out.put(r.getString(r.fieldIndex("id")), r);
    }
    return out;
  }

  /** Every row as text, sorted: binary columns by length and content hash, or left out. */
  private static List<String> rows(SparkSession spark, Path dir, boolean withBinary) {
    List<String> out = new ArrayList<>();
    for (Row r : spark.read().parquet(dir.toString()).collectAsList()) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length(); i++) {
        Object v = r.get(i);
        if (v instanceof byte[] bytes) {
          b.append(withBinary ? bytes.length + ":" + java.util.Arrays.hashCode(bytes) : "(bytes)");
        } else {
          b.append(v);
        }
        b.append('|');
      }
      out.add(b.toString());
    }
    java.util.Collections.sort(out);
    return out;
  }

  /**
   * {@code pdm args} submitted with SparkSubmit to the cluster (client mode, the shaded jar); returns
   * its log after asserting that it ended within {@code minutes} with exit code 0.
   */
  private static String submit(String name, int minutes, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client",
        "--class", "org.pdm.cli.Main", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.memory=1g", "--conf", "spark.cores.max=2",
        "--driver-java-options", "-Dai.djl.offline=true", SparkJvm.sparkJar().toString()));
    all.addAll(List.of(args));
    Process submit = launch(name, "org.apache.spark.deploy.SparkSubmit", all.toArray(String[]::new));
    boolean finished = submit.waitFor(minutes, TimeUnit.MINUTES);
    String log = Files.readString(WORK.resolve(name + ".log"));
    if (!finished) {
      submit.destroyForcibly();
    }
    assertTrue(finished, "spark-submit " + args[0] + " finished in time:\n" + SparkJvm.tail(log));
    assertEquals(0, submit.exitValue(), SparkJvm.tail(log));
    return log;
  }

  private static Process launch(String name, String mainClass, String... args) throws IOException {
    return SparkJvm.start(SPARK_HOME, WORK.resolve(name + ".log"), List.of("-Xmx1g"), mainClass, List.of(args));
  }

  private static void awaitWorkers(int uiPort, int count, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int alive = -1;
    while (System.nanoTime() < deadline) {
      if (CLUSTER.stream().anyMatch(p -> !p.isAlive())) {
        break; // a JVM of the cluster died: its log says why
      }
      try {
        String json = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        alive = new ObjectMapper().readTree(json).path("aliveworkers").asInt(-1);
        if (alive >= count) {
          return;
        }
      } catch (IOException e) {
        // the master is still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(alive + " of " + count + " workers registered in " + timeout + ":\n"
        + SparkJvm.tail(Files.readString(WORK.resolve("master.log"))) + "\n" + SparkJvm.tail(Files.readString(WORK.resolve("worker1.log"))));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
