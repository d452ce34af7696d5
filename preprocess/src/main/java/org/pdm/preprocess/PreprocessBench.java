package org.pdm.preprocess;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pdm.core.synth.ImageEncoder;
import org.pdm.core.synth.Painter;

/**
 * The preprocess benchmark: decode, crop, resize and encode photos (a folder of real ones, or
 * generated large JPEGs) with the configured preset in one thread, in images per second and bytes
 * per image, with the time per phase; in the same run, img2dataset's path with OpenCV and Pillow's
 * (with and without draft mode) through the system Python when installed; and optionally the output
 * formats compared on the same pixels. No Spark: this measures the per-core work of every executor.
 */
public final class PreprocessBench {
  /**
   * The Python side, one process per round: img2dataset's resizing path with OpenCV (cv2.imdecode,
   * INTER_AREA to cover the output size, centre crop, cv2.imencode PNG at the same zlib level; as
   * img2dataset's {@code resize_mode="center_crop"} with our cover-then-crop geometry), and Pillow's
   * (crop box + Lanczos, with and without draft mode). Prints one line per tool: name, version,
   * images/s, output bytes per image, and the OpenCV phase times (decode, resize, encode, ms/image).
   */
  static final String PYTHON_SCRIPT = String.join("\n",
      "import io, sys, time",
      "W, H, level = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])",
      "datas = [open(f, 'rb').read() for f in sys.argv[4:]]",
      "try:",
      "    import cv2, numpy as np",
      "    cv2.setNumThreads(1)",
      "    def cv(d, ph):",
      "        t0 = time.perf_counter()",
      "        img = cv2.imdecode(np.frombuffer(d, np.uint8), cv2.IMREAD_UNCHANGED)",
      "        if img.ndim == 2:",
      "            img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)",
      "        elif img.shape[2] == 4:",
      "            img = cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)",
      "        t1 = time.perf_counter()",
      "        h, w = img.shape[:2]",
      "        s = max(W / w, H / h)",
      "        nw, nh = max(W, round(w * s)), max(H, round(h * s))",
      "        img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LANCZOS4)",
      "        x, y = (nw - W) // 2, (nh - H) // 2",
      "        img = img[y:y + H, x:x + W]",
      "        t2 = time.perf_counter()",
      "        ok, buf = cv2.imencode('.png', img, [cv2.IMWRITE_PNG_COMPRESSION, level])",
      "        t3 = time.perf_counter()",
      "        ph[0] += t1 - t0; ph[1] += t2 - t1; ph[2] += t3 - t2",
      "        return len(buf)",
      "    cv(datas[0], [0, 0, 0])  # warm-up",
      "    ph = [0.0, 0.0, 0.0]",
      "    t = time.perf_counter(); n = sum(cv(d, ph) for d in datas); e = time.perf_counter() - t",
      "    print('opencv', cv2.__version__, len(datas) / e, n / len(datas),",
      "          *[round(1000 * p / len(datas), 1) for p in ph])",
      "except ImportError:",
      "    print('opencv-missing')",
      "try:",
      "    from PIL import Image, ImageOps",
      "    import PIL",
      "    def one(d, draft):",
      "        im = Image.open(io.BytesIO(d))",
      "        if draft:",
      "            im.draft('RGB', (W, H))  # largest DCT scale (1/2, 1/4, 1/8) still >= W x H",
      "        im = ImageOps.exif_transpose(im).convert('RGB')",
      "        w, h = im.size",
      "        s = max(W / w, H / h)",
      "        cw, ch = W / s, H / s",
      "        box = ((w - cw) / 2, (h - ch) / 2, (w + cw) / 2, (h + ch) / 2)",
      "        out = im.resize((W, H), Image.LANCZOS, box=box)",
      "        buf = io.BytesIO()",
      "        out.save(buf, 'PNG', compress_level=level)",
      "        return buf.tell()",
      "    for draft in (True, False):",
      "        one(datas[0], draft)  # warm-up",
      "        t = time.perf_counter(); n = sum(one(d, draft) for d in datas); e = time.perf_counter() - t",
      "        print('pillow-draft' if draft else 'pillow-full', PIL.__version__, len(datas) / e, n / len(datas))",
      "except ImportError:",
      "    print('pillow-missing')",
      "");

  /** One tool's best pass: images/s, mean output bytes per image, and a note (version, phases). */
  public record Rate(String tool, double imagesPerSecond, double bytesPerImage, String note) {}

  /** The passes of a run, ours first; tools that did not run are absent, with why in {@code skipped}. */
  public record Result(int images, List<Rate> rates, List<String> skipped) {
    public Rate get(String tool) {
      return rates.stream().filter(r -> r.tool().equals(tool)).findFirst().orElse(null);
    }
  }

  /** Writes {@code count} scape JPEGs of {@code w x h} (quality 0.9) into {@code dir}, unless there already. */
  public static List<Path> inputs(Path dir, int count, int w, int h) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path f = dir.resolve(String.format("bench-%dx%d-%03d.jpg", w, h, i));
      if (!Files.exists(f)) {
        byte[] jpeg = ImageEncoder.encode(Painter.forKind("scapes").paint(w, h, 1000 + i), "jpeg", 0.9f);
        Path tmp = dir.resolve(f.getFileName() + ".tmp");
        Files.write(tmp, jpeg);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      files.add(f);
    }
    return files;
  }

  /** Image files of a folder (recursively, links followed), sorted by path. */
  public static List<Path> folder(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("--in " + dir + " is not a folder");
    }
    try (var walk = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * Runs {@code rounds} rounds, each our pass over all images then (when asked) one Python process
   * (OpenCV, then Pillow with and without draft mode), and reports the best pass of each: on a
   * shared machine the best pass is the one least disturbed by other work, and interleaving gives
   * every side the same conditions. Inputs the preset rejects are left out first, with a message.
   */
  public static Result run(PreprocessConfig config, List<Path> files, boolean python, int rounds,
      PrintStream log) throws Exception {
    return run(config, files, python, rounds, config.encoder().pngLevel(), log);
  }

  /**
   * As {@link #run(PreprocessConfig, List, boolean, int, PrintStream)}, with OpenCV and Pillow writing
   * PNG at {@code referenceLevel} whatever ours is (to compare our level 7 with their 6, say).
   */
  public static Result run(PreprocessConfig config, List<Path> files, boolean python, int rounds, int referenceLevel,
      PrintStream log) throws Exception {
    ImageProcessor processor = new ImageProcessor(config);
    List<byte[]> datas = new ArrayList<>();
    List<Path> used = new ArrayList<>();
    for (Path f : files) {
      byte[] d = Files.readAllBytes(f);
      ImageProcessor.Outcome o = processor.process("warm-up", d); // also the JIT warm-up
      if (o.kept()) {
        datas.add(d);
        used.add(f);
      } else {
        log.println("left out " + f.getFileName() + ": " + o.reason() + " (" + o.details() + ")");
      }
    }
    if (datas.isEmpty()) {
      throw new IllegalStateException("no input is kept by preset " + config.geometry().name());
    }
    Map<String, Rate> best = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    long[] phases = null;
    for (int round = 1; round <= rounds; round++) {
      long[] before = processor.phaseNanos();
      long bytes = 0;
      long start = System.nanoTime();
      for (byte[] d : datas) {
        ImageProcessor.Outcome o = processor.process("bench", d);
        check(o);
        bytes += o.image().length;
      }
      double rate = datas.size() / ((System.nanoTime() - start) / 1e9);
      long[] after = processor.phaseNanos();
      if (best.get("java") == null || rate > best.get("java").imagesPerSecond()) {
        phases = new long[after.length];
        for (int i = 0; i < after.length; i++) {
          phases[i] = after[i] - before[i];
        }
      }
      keep(best, new Rate("java", rate, (double) bytes / datas.size(), String.format(
          "decode %.0f, resample %.0f, measures %.0f, encode %.0f ms/image", phaseMs(phases, 0, datas.size()),
          phaseMs(phases, 1, datas.size()), phaseMs(phases, 2, datas.size()), phaseMs(phases, 3, datas.size()))));
      StringBuilder line = new StringBuilder(String.format("round %d: java %.2f", round, rate));
      if (python) {
        for (String[] p : python(config, referenceLevel, used)) {
          if (p[0].endsWith("-missing") || p.length < 4) {
            String why = p[0].startsWith("opencv") ? "OpenCV is not installed (apt-get install python3-opencv)"
                : p[0].startsWith("pillow") ? "Pillow is not installed (apt-get install python3-pil)" : String.join(" ", p);
            if (!skipped.contains(why)) {
              skipped.add(why);
            }
            continue;
          }
          String note = p[0] + " " + p[1] + (p.length >= 7 ? String.format(
              " (decode %s, resize+crop %s, encode %s ms/image)", p[4], p[5], p[6]) : "");
          keep(best, new Rate(p[0], Double.parseDouble(p[2]), Double.parseDouble(p[3]), note));
          line.append(String.format(", %s %.2f", p[0], Double.parseDouble(p[2])));
        }
      }
      log.println(line.append(" images/s"));
    }
    log.printf("%d images, best of %d rounds, one thread each; ours: %d JPEGs by libturbojpeg (%s to the JDK), "
        + "%d PNGs inflated by libdeflate, warm-up and rounds together%n", datas.size(), rounds, processor.nativeJpegDecodes(),
        processor.nativeJpegFallbacks(), processor.nativePngDecodes());
    for (Rate r : best.values()) {
      log.printf("  %-13s %6.2f images/s  %,10.0f bytes/image  %s%n", r.tool(), r.imagesPerSecond(), r.bytesPerImage(),
          r.note());
    }
    skipped.forEach(w -> log.println("  skipped: " + w));
    return new Result(datas.size(), new ArrayList<>(best.values()), skipped);
  }

  private static double phaseMs(long[] phases, int i, int n) {
    return phases == null ? 0 : phases[i] / 1e6 / n;
  }

  private static void keep(Map<String, Rate> best, Rate r) {
    Rate old = best.get(r.tool());
    if (old == null || r.imagesPerSecond() > old.imagesPerSecond()) {
      best.put(r.tool(), r);
    }
  }

  private static void check(ImageProcessor.Outcome o) {
    if (!o.kept()) {
      throw new IllegalStateException("benchmark image rejected: " + o.reason() + ": " + o.details()
          + " (the benchmark turns the quality filters off; is the size below the preset's?)");
    }
  }

  /** Runs the Python script; returns its result lines split on spaces, or one line saying why it did not run. */
  private static List<String[]> python(PreprocessConfig config, int level, List<Path> files) throws Exception {
    File python = new File("/usr/bin/python3");
    if (!python.canExecute()) {
      return List.<String[]>of(new String[] {"/usr/bin/python3 is missing: OpenCV and Pillow not run"});
    }
    Path script = Files.createTempFile("pdm-bench-python", ".py");
    try {
      Files.writeString(script, PYTHON_SCRIPT);
      List<String> cmd = new ArrayList<>(List.of(python.getPath(), script.toString(),
          Integer.toString(config.geometry().width()), Integer.toString(config.geometry().height()),
          Integer.toString(level)));
      files.forEach(f -> cmd.add(f.toString()));
      Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!proc.waitFor(30, TimeUnit.MINUTES) || proc.exitValue() != 0) {
        return List.<String[]>of(new String[] {"the Python script failed: " + output});
      }
      List<String[]> lines = new ArrayList<>();
      for (String l : output.split("\n")) {
        if (l.startsWith("opencv") || l.startsWith("pillow")) { // not libpng's warnings
          lines.add(l.trim().split(" "));
        }
      }
      return lines;
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** One output format's costs on the same pictures: encode (write) and decode into a float tensor (read). */
  public record FormatCost(String format, double writeMs, double bytesPerImage, double readRowsPerSecond) {}

  /**
   * Encodes the same outputs as PNG level 1 and 6, JPEG 95 and raw (+ ZSTD level 3, the page
   * compression Parquet applies to raw rows, through the same zstd-jni), then decodes each into
   * the training loader's float tensor ({@code DatasetImages.chwUnit}; for raw after the ZSTD
   * decompression that Parquet's reader does). Best of {@code rounds}.
   */
  public static List<FormatCost> formats(PreprocessConfig config, List<Path> files, int limit, int rounds,
      PrintStream log) throws Exception {
    ImageProcessor processor = new ImageProcessor(config);
    List<org.pdm.preprocess.image.RgbImage> outs = new ArrayList<>();
    for (Path f : files) {
      if (outs.size() < limit) {
        org.pdm.preprocess.image.RgbImage o = processor.output(Files.readAllBytes(f));
        if (o != null) {
          outs.add(o);
        }
      }
    }
    var encoders = new LinkedHashMap<String, org.pdm.preprocess.encode.OutputEncoder>();
    // PNG's deflate as the stage's (pdm.preprocess.native).
    encoders.put("png-1", new org.pdm.preprocess.encode.OutputEncoder("png", 1, 0.95f, config.nativeMode()));
    encoders.put("png-6", new org.pdm.preprocess.encode.OutputEncoder("png", 6, 0.95f, config.nativeMode()));
    encoders.put("jpeg-95", new org.pdm.preprocess.encode.OutputEncoder("jpeg", 6, 0.95f));
    encoders.put("raw+zstd-3", new org.pdm.preprocess.encode.OutputEncoder("raw", 6, 0.95f));
    Map<String, FormatCost> best = new LinkedHashMap<>();
    for (int round = 0; round <= rounds; round++) { // round 0: warm-up
      for (var e : encoders.entrySet()) {
        boolean raw = e.getKey().startsWith("raw");
        String format = e.getValue().format();
        List<byte[]> encoded = new ArrayList<>();
        long bytes = 0;
        long t0 = System.nanoTime();
        for (var img : outs) {
          byte[] b = e.getValue().encode(img);
          if (raw) {
            b = com.github.luben.zstd.Zstd.compress(b, 3);
          }
          bytes += b.length;
          encoded.add(b);
        }
        long t1 = System.nanoTime();
        double checksum = 0;
        for (int i = 0; i < encoded.size(); i++) {
          var img = outs.get(i);
          byte[] b = raw ? com.github.luben.zstd.Zstd.decompress(encoded.get(i), img.width() * img.height() * 3)
              : encoded.get(i);
          float[] chw = org.pdm.core.schema.DatasetImages.chwUnit(b, format, img.width(), img.height());
          checksum += chw[chw.length / 2];
        }
        long t2 = System.nanoTime();
        if (checksum == Double.MAX_VALUE) {
          log.println(); // keeps the reads from being optimized away
        }
        FormatCost c = new FormatCost(e.getKey(), (t1 - t0) / 1e6 / outs.size(), (double) bytes / outs.size(),
            outs.size() / ((t2 - t1) / 1e9));
        FormatCost old = best.get(c.format());
        if (round > 0) {
          best.put(c.format(), old == null ? c : new FormatCost(c.format(), Math.min(old.writeMs(), c.writeMs()),
              c.bytesPerImage(), Math.max(old.readRowsPerSecond(), c.readRowsPerSecond())));
        }
      }
    }
    log.printf("output formats on %d outputs (%dx%d), best of %d rounds, one thread:%n", outs.size(),
        outs.get(0).width(), outs.get(0).height(), rounds);
    for (FormatCost c : best.values()) {
      log.printf("  %-11s write %7.1f ms/image  %,11.0f bytes/image  read %6.1f rows/s into float CHW%n", c.format(),
          c.writeMs(), c.bytesPerImage(), c.readRowsPerSecond());
    }
    return new ArrayList<>(best.values());
  }
}
