package org.pdm.preprocess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Sizes;
import org.pdm.core.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm bench preprocess}: images per second on one core, against OpenCV (img2dataset's path) and Pillow. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
    description = "Decode-crop-resize-encode photos (--in DIR, or generated JPEGs) with the scapes2k preset in one "
        + "thread and report images/s and bytes/image; the same with OpenCV (img2dataset's path) and Pillow "
        + "(/usr/bin/python3) when installed, and the ratios.")
public final class PreprocessBenchCommand extends StageCommand {
  @Option(names = "--count", description = "Number of images (default ${DEFAULT-VALUE}).", defaultValue = "8")
  int count;

  @Option(names = "--size", paramLabel = "WxH", description = "Input size (default ${DEFAULT-VALUE}).",
      defaultValue = "5120x2880")
  String size;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the inputs are generated and kept "
      + "(default <work-dir>/bench-preprocess).")
  String dir;

  @Option(names = "--rounds", description = "Rounds (Java pass, then Pillow passes); the best of each is "
      + "reported (default ${DEFAULT-VALUE}).", defaultValue = "3")
  int rounds;

  @Option(names = "--no-pillow", description = "Do not run the OpenCV and Pillow comparison (/usr/bin/python3).")
  boolean noPillow;

  @Option(names = "--in", paramLabel = "DIR", description = "A folder of real photos to use instead of the "
      + "generated ones (recursively; inputs the preset rejects are left out, with a message).")
  String in;

  @Option(names = "--stage", description = "Also run the whole stage (Spark, spark.master from the config: "
      + "local[1] unless set) over the same inputs once and report its images/s.")
  boolean stage;

  @Option(names = "--formats", description = "Also compare output formats (PNG 1 and 6, JPEG 95, raw + ZSTD): "
      + "write ms, bytes and read rows/s into the loader's float tensor, on at most this many outputs.",
      defaultValue = "0")
  int formats;

  @Option(names = "--reference-level", paramLabel = "N", description = "zlib level 0-9 of OpenCV's and Pillow's PNG "
      + "(default: ours, preprocess.output.png-compression).")
  Integer referenceLevel;

  @Override
  protected List<String> flagOverrides() {
    // The preset the issue names. The quality thresholds are off so that no input is rejected; the
    // measures (sharpness, hash) are still computed for every image, as they are output columns:
    // work that the Pillow side does not do. PNG, whatever the stage's default: OpenCV and Pillow write
    // PNG at the same level (preprocess.output.format=raw on the command line measures raw instead).
    return new ArrayList<>(List.of("preprocess.preset=scapes2k", "preprocess.output.format=png", "preprocess.filters.min-sharpness=0",
        "preprocess.filters.min-chroma=0", "preprocess.filters.min-luma-std=0", "preprocess.filters.max-border=0",
        "preprocess.filters.dedupe=false", "spark.master=\"local[1]\""));
  }

  private static String output(PreprocessConfig c) {
    return switch (c.encoder().format()) {
      case "png" -> "PNG level " + c.encoder().pngLevel() + " (deflate: "
          + org.pdm.preprocess.natives.NativeCodecs.forMode(c.nativeMode()).deflateStatus() + ")";
      case "jpeg" -> "JPEG quality " + c.encoder().jpegQuality();
      default -> "raw pixels (bytes/image before Parquet's ZSTD)";
    };
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    PreprocessConfig c = PreprocessConfig.from(config);
    if (referenceLevel != null && (referenceLevel < 0 || referenceLevel > 9)) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--reference-level " + referenceLevel + " is not a zlib level: give 0 to 9");
    }
    int refLevel = referenceLevel != null ? referenceLevel : c.encoder().pngLevel();
    List<Path> files;
    if (in != null) {
      files = PreprocessBench.folder(Path.of(in));
      System.out.printf("bench preprocess: %d files in %s; preset %s (%dx%d, %s, reduce-gap %s, output %s; "
          + "OpenCV and Pillow write PNG level %d)%n", files.size(), in, c.geometry().name(), c.geometry().width(),
          c.geometry().height(), c.filter().name().toLowerCase(), c.reduceGap(), output(c), refLevel);
    } else {
      int[] wh = Sizes.parse(size, "--size", 16, 20000);
      Path folder = Path.of(dir != null ? dir : SparkSessions.workDir(config) + "/bench-preprocess");
      System.out.printf("bench preprocess: %d generated JPEGs of %s in %s; preset %s (%dx%d, %s, reduce-gap %s, "
          + "output %s; OpenCV and Pillow write PNG level %d)%n", count, size, folder, c.geometry().name(),
          c.geometry().width(), c.geometry().height(), c.filter().name().toLowerCase(), c.reduceGap(), output(c),
          refLevel);
      files = PreprocessBench.inputs(folder, count, wh[0], wh[1]);
    }
    PreprocessBench.Result r = PreprocessBench.run(c, files, !noPillow, Math.max(1, rounds), refLevel, System.out);
    PreprocessBench.Rate ours = r.get("java");
    for (String tool : List.of("opencv", "pillow-draft", "pillow-full")) {
      PreprocessBench.Rate other = r.get(tool);
      if (other != null) {
        System.out.printf("ratio:  java / %s = %.2f images/s per core, %.2f bytes/image%n", tool,
            ours.imagesPerSecond() / other.imagesPerSecond(), ours.bytesPerImage() / other.bytesPerImage());
      }
    }
    if (stage) {
      Path out = java.nio.file.Files.createTempDirectory("pdm-bench-stage");
      org.apache.spark.sql.SparkSession spark = SparkSessions.getOrCreate(config, "bench preprocess");
      String folder = in != null ? in : files.get(0).getParent().toString();
      long t = System.nanoTime();
      var result = PreprocessJob.run(spark, config, folder, out.resolve("out").toString(), true);
      double s = (System.nanoTime() - t) / 1e9;
      long kept = result.counts().get("kept");
      System.out.printf("stage:  %d images kept of %d in %.1f s with spark.master %s: %.2f images/s (session start "
          + "excluded; %.2f x java's per-image rate)%n", kept, result.counts().get("input"), s,
          spark.sparkContext().master(), kept / s, kept / s / ours.imagesPerSecond());
      spark.stop();
    }
    if (formats > 0) {
      PreprocessBench.formats(c, files, formats, Math.max(1, rounds), System.out);
    }
    return 0;
  }
}
