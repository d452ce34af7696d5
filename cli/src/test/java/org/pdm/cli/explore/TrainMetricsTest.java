package org.pdm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainMetricsTest {
  @TempDir Path dir;

  /** The lines the autoencoder's trainer writes (docs/train.md), with a NaN written as a string. */
  private TrainMetrics autoencoderRun() throws IOException {
    Path file = dir.resolve("metrics.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"step\":5,\"loss\":0.6,\"recon\":0.59,\"kl\":1.0E-7,\"grad_norm\":5.0,\"lr\":0.002,\"epoch\":2.0}",
        "{\"step\":10,\"loss\":0.4,\"recon\":0.39,\"kl\":2.0E-7,\"grad_norm\":2.5,\"lr\":0.002,\"epoch\":4.0}",
        "{\"step\":10,\"val_loss\":0.45,\"val_psnr\":16.5}",
        "",
        "{\"step\":15,\"loss\":\"NaN\",\"recon\":0.3,\"kl\":3.0E-7,\"grad_norm\":1.5,\"lr\":0.002,\"epoch\":7.0}",
        "{\"step\":20,\"val_loss\":0.25,\"val_psnr\":19.25}") + "\n");
    return TrainMetrics.read(file);
  }

  @Test
  void splitsTermsFromTheOtherKeys() throws IOException {
    TrainMetrics m = autoencoderRun();
    assertEquals(List.of("loss", "recon", "kl", "grad_norm", "lr", "epoch", "val_loss", "val_psnr"), m.keys());
    assertEquals(List.of("recon", "kl"), m.lossTerms());
  }

  @Test
  void seriesKeepTheLinesWithAFiniteValue() throws IOException {
    TrainMetrics m = autoencoderRun();
    TrainMetrics.Series loss = m.series("loss");
    assertArrayEquals(new double[] {5, 10}, loss.steps()); // step 15's "NaN" is left out
    assertArrayEquals(new double[] {0.6, 0.4}, loss.values());
    TrainMetrics.Series psnr = m.series("val_psnr");
    assertArrayEquals(new double[] {10, 20}, psnr.steps());
    assertEquals(16.5, psnr.first());
    assertEquals(19.25, psnr.last());
    assertEquals(3, m.series("recon").size());
    assertEquals(0, m.series("flow").size());
    assertEquals("autoencoder loss", loss.withKey("autoencoder loss").key());
    assertArrayEquals(loss.values(), loss.withKey("x").values());
  }

  @Test
  void refusesAMissingFileAndLinesWithoutAStep() throws IOException {
    IOException missing = assertThrows(IOException.class, () -> TrainMetrics.read(dir.resolve("none.jsonl")));
    assertTrue(missing.getMessage().contains("pdm train"), missing.getMessage());
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"step\":1,\"loss\":1}\n{\"loss\":2}\n");
    IOException e = assertThrows(IOException.class, () -> TrainMetrics.read(bad));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void lineChartsUseALogAxisOnlyForPositiveValues() throws IOException {
    TrainMetrics m = autoencoderRun();
    JFreeChart terms = Charts.lineChart("terms", "loss", List.of(m.series("recon"), m.series("kl")), true);
    assertInstanceOf(LogAxis.class, terms.getXYPlot().getRangeAxis());
    assertEquals(2, terms.getXYPlot().getDataset().getSeriesCount());
    // Ticks in plain decimals unless a series goes below 1e-3, as the KL term does.
    assertEquals("2.51E-7", ((LogAxis) terms.getXYPlot().getRangeAxis()).getNumberFormatOverride().format(2.5119e-7));
    JFreeChart loss = Charts.lineChart("loss", "loss", List.of(m.series("loss"), m.series("val_loss")), true);
    assertEquals("0.2512", ((LogAxis) loss.getXYPlot().getRangeAxis()).getNumberFormatOverride().format(0.25119));
    TrainMetrics.Series negative = new TrainMetrics.Series("x", new double[] {1, 2}, new double[] {-1, 1});
    assertInstanceOf(NumberAxis.class, Charts.lineChart("x", "x", List.of(negative), true).getXYPlot().getRangeAxis());
    // An empty series is left out; nothing at all to plot is an error naming the chart.
    assertEquals(1, Charts.lineChart("t", "l", List.of(m.series("loss"), m.series("flow")), false)
        .getXYPlot().getDataset().getSeriesCount());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Charts.lines("flow terms", "loss", List.of(m.series("flow")), true));
    assertTrue(e.getMessage().contains("flow terms"), e.getMessage());
    assertEquals(Charts.HEIGHT, Charts.lines("loss", "loss", List.of(m.series("loss")), true).getHeight());
  }
}
