package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;

/** pdm model init, then pdm eval recon and pdm eval ablation on a preprocess output, with no paths. */
class EvalReconChainTest {
  @TempDir
  Path dir;

  private CapturedRun pdm(String... args) {
    return CapturedRun.inWork(dir.resolve("work"), args);
  }

  /** Six 32x32 PNG rows as preprocess's output in the work folder. */
  private void dataset() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      for (int p = 0; p < 32 * 32; p++) {
        img.setRGB(p % 32, p / 32, (int) ((p * 40503L + i * 7919L) & 0xffffff));
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(img, "png", png);
      rows.add(RowFactory.create("img" + i, png.toByteArray(), "png", 32, 32, 32, 32, 0, 0, 32, 32, 1, "png",
          "sRGB", 1.0, 0L));
    }
    SparkSession spark = SparkSession.builder().master("local[1]").appName("eval-chain-data")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      StageOutput.at(spark.sparkContext().hadoopConfiguration(), dir.resolve("work/preprocess").toString()).run(
          new StageSpec(WorkLayout.PREPROCESS.stage(), "{}", List.of()), true, ctx ->
              spark.createDataFrame(rows, DatasetSchema.DATASET).coalesce(1).write().parquet(ctx.path("dataset")));
    } finally {
      spark.stop();
    }
  }

  @Test
  void reconAndAblationWithDefaultPaths() throws Exception {
    dataset();
    Path work = dir.resolve("work");
    assertEquals(0, pdm("model", "init", "--config", "autoencoder-tiny").code());

    CapturedRun recon = pdm("eval", "recon", "eval.recon.validation-fraction=0.5");
    assertEquals(0, recon.code(), recon.out() + "\n" + recon.err());
    assertTrue(recon.out().contains("eval-recon: wrote " + work.resolve("eval-recon")), recon.out());
    assertTrue(recon.out().matches("(?s).*\\neval recon: PSNR [0-9.]+ dB, SSIM -?[0-9.]+ on \\d+ validation images.*"),
        recon.out());
    assertTrue(Files.isRegularFile(work.resolve("eval-recon/recon.json")));

    CapturedRun ablation = pdm("eval", "ablation", "--count", "2");
    assertEquals(0, ablation.code(), ablation.out() + "\n" + ablation.err());
    assertTrue(ablation.out().matches("(?s).*\\n  images +2\\n.*"), ablation.out());
    assertTrue(Files.isRegularFile(work.resolve("eval-ablation/ablation.png")));

    CapturedRun none = pdm("eval", "recon", "--autoencoder", dir.resolve("nowhere").toString());
    assertEquals(2, none.code());
    assertTrue(none.err().contains("pdm model init --config autoencoder-tiny"), none.err());
  }
}
