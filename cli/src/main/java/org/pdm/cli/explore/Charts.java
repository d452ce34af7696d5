package org.pdm.cli.explore;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** JFreeChart charts rendered to pictures, which the notebook kernel shows inline as PNG. */
public final class Charts {
  private Charts() {}

  public static final int WIDTH = 720;
  public static final int HEIGHT = 360;

  /** One bar per key (counts by reason, for example), in the map's order. */
  public static BufferedImage bars(String title, String valueAxis, Map<String, ? extends Number> values) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    values.forEach((k, v) -> data.addValue(v, valueAxis, k));
    JFreeChart chart = ChartFactory.createBarChart(title, null, valueAxis, data, PlotOrientation.HORIZONTAL,
        false, false, false);
    return render(chart, Math.max(160, 90 + 28 * values.size()));
  }

  /** Per level, each channel's mean with a bar of plus/minus one std (from latent-stats.json). */
  public static BufferedImage channelStats(List<LatentStatsFile.Level> levels) {
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    for (LatentStatsFile.Level l : levels) {
      for (LatentStatsFile.Channel c : l.channels()) {
        data.add(c.mean(), c.std(), l.column() + " (" + l.shape() + ")", "c" + c.channel());
      }
    }
    CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("channel"), new NumberAxis("mean ± std"),
        new StatisticalBarRenderer());
    plot.setOrientation(PlotOrientation.VERTICAL);
    return render(new JFreeChart("Latent channels: mean ± std per level", JFreeChart.DEFAULT_TITLE_FONT, plot, true),
        HEIGHT);
  }

  /** Histograms of several value sets on one chart (semi-transparent, {@code bins} each). */
  public static BufferedImage histogram(String title, String valueAxis, Map<String, double[]> series, int bins) {
    HistogramDataset data = new HistogramDataset();
    series.forEach((name, values) -> data.addSeries(name, values, bins));
    JFreeChart chart = ChartFactory.createHistogram(title, valueAxis, "count", data, PlotOrientation.VERTICAL,
        true, false, false);
    chart.getXYPlot().setForegroundAlpha(0.6f);
    return render(chart, HEIGHT);
  }

  /**
   * Metrics against the training step, one line each (empty series are left out). {@code logScale}
   * takes effect only when every value is positive: losses spanning decades (a KL term of 1e-7 beside
   * a reconstruction term of 0.3) stay readable.
   */
  public static BufferedImage lines(String title, String valueAxis, List<TrainMetrics.Series> series, boolean logScale) {
    return render(lineChart(title, valueAxis, series, logScale), HEIGHT);
  }

  static JFreeChart lineChart(String title, String valueAxis, List<TrainMetrics.Series> series, boolean logScale) {
    XYSeriesCollection data = new XYSeriesCollection();
    boolean positive = true;
    double smallest = Double.POSITIVE_INFINITY;
    for (TrainMetrics.Series s : series) {
      if (s.size() == 0) {
        continue;
      }
      XYSeries xy = new XYSeries(s.key());
      for (int i = 0; i < s.size(); i++) {
        xy.add(s.steps()[i], s.values()[i]);
        positive &= s.values()[i] > 0;
        smallest = Math.min(smallest, s.values()[i]);
      }
      data.addSeries(xy);
    }
    if (data.getSeriesCount() == 0) {
      throw new IllegalArgumentException("nothing to plot for \"" + title + "\": every series is empty");
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "step", valueAxis, data, PlotOrientation.VERTICAL,
        true, false, false);
    if (logScale && positive) {
      LogAxis y = new LogAxis(valueAxis + " (log scale)");
      // Plain decimals (0.2512, not 2.5119E-1) unless a series reaches below 1e-3 (a KL term of 1e-7).
      y.setNumberFormatOverride(new java.text.DecimalFormat(smallest >= 1e-3 ? "0.####" : "0.##E0",
          java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
      chart.getXYPlot().setRangeAxis(y);
    }
    return chart;
  }

  static BufferedImage render(JFreeChart chart, int height) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(new Color(0xF4F4F4));
    return chart.createBufferedImage(WIDTH, height);
  }
}
