package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;

/**
 * {@code pdm encode} on a {@code local-cluster} whose executor is killed (SIGKILL) while it encodes:
 * Spark starts another executor and reruns the lost tasks, and the cache holds every id exactly once
 * (the driver commits only the files of successful task attempts).
 */
class EncodeExecutorLossIT {
  private static final Path WORK = SparkJvm.TARGET.resolve("encode-loss-it");
  private static final int ROWS = 3000;

  @Test
  void aKilledExecutorsTasksAreRetriedAndEveryIdIsStoredOnce() throws Exception {
    SparkJvm.deleteRecursively(WORK);
    Files.createDirectories(WORK);
    Path dataset = WORK.resolve("preprocess");
    writeDataset(dataset);
    CapturedRun init = CapturedRun.of("model", "init", "--config", "autoencoder-tiny", "--out",
        WORK.resolve("ae").toString());
    assertEquals(0, init.code(), init.err());

    Path home = SparkJvm.freshSparkHome(WORK);
    Path out = WORK.resolve("latents");
    Process submit = SparkJvm.start(home, WORK.resolve("submit.log"), List.of("-Xmx1g", "-Dai.djl.offline=true"),
        "org.apache.spark.deploy.SparkSubmit", List.of("--master", "local-cluster[1,2,1024]", "--class",
        "org.pdm.cli.Main",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.extraJavaOptions=-Dai.djl.pytorch.num_threads=1",
        SparkJvm.sparkJar().toString(), "encode", "--dataset", dataset.toString(), "--autoencoder",
        WORK.resolve("ae").toString(), "--out", out.toString(), "encode.partitions=4", "encode.batch-size=1",
        "progress.enabled=false"));
    try {
      ProcessHandle executor = awaitEncodingExecutor(submit, home, 180);
      executor.destroyForcibly();
      assertTrue(submit.waitFor(5, TimeUnit.MINUTES), "spark-submit finished in time");
    } finally {
      submit.descendants().forEach(ProcessHandle::destroyForcibly);
      submit.destroyForcibly();
    }
    String log = Files.readString(WORK.resolve("submit.log"));
    assertEquals(0, submit.exitValue(), SparkJvm.tail(log));
    assertTrue(log.matches("(?s).*\\n  encoded +" + String.format("%,d", ROWS) + "\\n.*"), SparkJvm.tail(log));
    assertTrue(log.contains("ExecutorLostFailure") || log.contains("Lost executor") || log.contains("lost"),
        "the driver saw the executor go:\n" + SparkJvm.tail(log));

    Set<String> ids = new HashSet<>();
    long rows = 0;
    try (Stream<Path> files = Files.list(out.resolve("latents"))) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
            new org.apache.hadoop.fs.Path(f.toUri())).withConf(new Configuration()).build()) {
          for (Group g = r.read(); g != null; g = r.read()) {
            ids.add(g.getString("id", 0));
            rows++;
          }
        }
      }
    }
    assertEquals(ROWS, rows, "rows in the cache");
    assertEquals(ROWS, ids.size(), "distinct ids in the cache");
  }

  /** The executor JVM, once its log says it loaded the model (it is encoding). */
  private static ProcessHandle awaitEncodingExecutor(Process submit, Path home, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline && submit.isAlive()) {
      Optional<ProcessHandle> executor = submit.descendants().filter(p -> p.info().commandLine()
          .map(c -> c.contains("CoarseGrainedExecutorBackend")).orElse(false)).findFirst();
      if (executor.isPresent() && SparkJvm.executorLogs(home.resolve("work")).contains("loaded model")) {
        return executor.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no executor started encoding:\n" + SparkJvm.tail(Files.readString(WORK.resolve("submit.log"))));
  }

  /** ROWS 32x32 PNG rows as preprocess's output folder, written by an embedded session. */
  private static void writeDataset(Path dir) throws Exception {
    Random rng = new Random(9);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          img.setRGB(x, y, rng.nextInt(0xffffff));
        }
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(img, "png", png);
      rows.add(RowFactory.create(String.format("r%05d", i), png.toByteArray(), "png", 32, 32, 32, 32, 0, 0, 32, 32, 1,
          "png", "sRGB", 1.0, 0L));
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("loss-it-data")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      StageOutput.at(spark.sparkContext().hadoopConfiguration(), dir.toString()).run(new StageSpec(
          WorkLayout.PREPROCESS.stage(), "{}", List.of()), true, ctx ->
          spark.createDataFrame(rows, DatasetSchema.DATASET).repartition(4).write().parquet(ctx.path("dataset")));
    } finally {
      spark.stop();
    }
  }
}
