package org.pdm.train.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** {@code loss.png}: training and validation loss against the step (log scale), drawn with JFreeChart. */
public final class LossPlot {
  private LossPlot() {}

  /** Draws the {@code loss} and {@code val_loss} of {@code lines} into {@code png} (atomically replaced). */
  public static void write(Path png, String title, List<JsonNode> lines) throws IOException {
    XYSeries train = new XYSeries("training loss");
    XYSeries val = new XYSeries("validation loss");
    for (JsonNode n : lines) {
      add(train, n, "loss");
      add(val, n, "val_loss");
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(train);
    if (val.getItemCount() > 0) {
      data.addSeries(val);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "step", "loss", data, PlotOrientation.VERTICAL,
        true, false, false);
    if (train.getItemCount() > 0 && train.getMinY() > 0 && (val.getItemCount() == 0 || val.getMinY() > 0)) {
      LogAxis y = new LogAxis("loss (log scale)");
      y.setAutoRange(true);
      y.setNumberFormatOverride(new java.text.DecimalFormat("0.####")); // 0.35, not 10^-0.456
      chart.getXYPlot().setRangeAxis(y);
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp");
    ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 900, 500);
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void add(XYSeries s, JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v != null && v.isNumber()) {
      s.add(n.get("step").asDouble(), v.asDouble());
    }
  }
}
