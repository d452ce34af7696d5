package org.pdm.preprocess;

import java.io.Serializable;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.stage.WorkLayout;
import org.pdm.preprocess.encode.OutputEncoder;
import org.pdm.preprocess.geometry.Geometry;
import org.pdm.preprocess.geometry.Resampler;

/**
 * The validated settings of {@code pdm preprocess} (section {@code pdm.preprocess}); every check runs
 * here, before Spark starts.
 *
 * @param in input folder or glob ("" for the default)
 * @param out output folder ("" for the default)
 * @param inputFormat auto, raw or images
 * @param geometry the preset's (or custom) size rules and output size
 * @param filter the resampling filter
 * @param reduceGap 0 (off) or the gap for exact block pre-reduction
 * @param maxPixels decompression-bomb cap
 * @param encoder output encoding
 * @param rowGroupBytes Parquet row-group size
 * @param rowsPerFile most rows per Parquet file, 0 for no limit
 * @param filters the quality filters
 * @param sheetKept outputs shown on the contact sheet
 * @param sheetRejects rejects shown on the contact sheet
 * @param thumbSize thumbnail long side
 * @param partitions decoding partitions, 0 for automatic
 * @param nativeMode auto (libturbojpeg and libdeflate when they load) or off (pure JDK)
 */
public record PreprocessConfig(
    String in,
    String out,
    String inputFormat,
    Geometry geometry,
    Resampler.Filter filter,
    double reduceGap,
    long maxPixels,
    OutputEncoder encoder,
    long rowGroupBytes,
    int rowsPerFile,
    Filters filters,
    int sheetKept,
    int sheetRejects,
    int thumbSize,
    int partitions,
    String nativeMode) implements Serializable {

  /**
   * The quality filters; a threshold of 0 (or false) turns one off.
   */
  public record Filters(int measureSize, double minSharpness, boolean dedupe, int dedupeDistance, double minChroma,
      double minLumaStd, double maxBorder, int borderTolerance) implements Serializable {}

  public static PreprocessConfig from(PdmConfig config) {
    Settings s = config.settings("preprocess");
    String preset = s.oneOf("preset", Geometry.presetNames());
    Geometry geometry = Geometry.preset(preset);
    if (geometry == null) {
      Settings c = s.section("custom");
      int[] size = c.size("size", 16, 16384);
      int[] min = c.size("min-size", 1, 65535);
      geometry = new Geometry("custom", size[0], size[1], min[0], min[1],
          Geometry.Shape.valueOf(c.oneOf("orientation", "any", "landscape", "portrait", "square").toUpperCase()),
          Geometry.Crop.valueOf(c.oneOf("crop", "center", "none").toUpperCase()), c.bool("allow-upscale"));
    }
    double gap = s.doubleIn("reduce-gap", 0, 16);
    if (gap > 0 && gap < 1) {
      throw new ConfigError(s.key("reduce-gap") + " = " + gap + " is out of range: 0 (off) or 1.0 to 16.0 (a gap "
          + "below 1 would shrink below the output size)");
    }
    Settings o = s.section("output");
    String format = o.string("format").trim();
    if (format.equals("webp")) {
      throw new ConfigError(s.key("output.format") + " = webp is not available: the JVM has no WebP encoder "
          + "(TwelveMonkeys decodes WebP only); use png, raw or jpeg");
    }
    format = o.oneOf("format", "png", "jpeg", "raw");
    String nativeMode = s.oneOf("native", "auto", "off");
    OutputEncoder encoder = new OutputEncoder(format, o.intIn("png-compression", 0, 9),
        (float) o.doubleIn("jpeg-quality", 0.1, 1.0), nativeMode);
    Settings f = s.section("filters");
    Filters filters = new Filters(f.intIn("measure-size", 64, 4096), f.doubleIn("min-sharpness", 0, 100_000),
        f.bool("dedupe"), f.intIn("dedupe-distance", 0, 12), f.doubleIn("min-chroma", 0, 255),
        f.doubleIn("min-luma-std", 0, 128), f.doubleIn("max-border", 0, 1), f.intIn("border-tolerance", 0, 255));
    Settings sheet = s.section("contact-sheet");
    return new PreprocessConfig(s.string("in").trim(), s.string("out").trim(),
        s.oneOf("input-format", "auto", "raw", "images"), geometry,
        Resampler.Filter.valueOf(s.oneOf("filter", "lanczos", "area").toUpperCase()), gap,
        s.longIn("max-pixels", 10_000, 1_000_000_000), encoder, o.longIn("row-group-mb", 1, 1024) << 20,
        o.intIn("rows-per-file", 0, 10_000_000), filters, sheet.intIn("kept", 0, 1000), sheet.intIn("rejects", 0, 1000),
        sheet.intIn("thumb-size", 32, 512), s.intIn("partitions", 0, 100_000), nativeMode);
  }

  /** {@code in}, or ingest's default output ({@code <work-dir>/ingest}, whose {@code raw/} is read). */
  public String input(WorkLayout work) {
    return in.isEmpty() ? work.dir(WorkLayout.INGEST) : in;
  }

  /** {@code out}, or {@code <work-dir>/preprocess}, where the next stage looks. */
  public String output(WorkLayout work) {
    return out.isEmpty() ? work.dir(WorkLayout.PREPROCESS) : out;
  }
}
