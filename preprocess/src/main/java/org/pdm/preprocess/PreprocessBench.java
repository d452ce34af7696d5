package org.pdm.preprocess;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.pdm.core.synth.ImageEncoder;
import org.pdm.core.synth.Painter;

/**
 * The preprocess benchmark: decode, crop, resize and encode large JPEGs with the configured preset
 * (scapes2k from the command) in one thread, in images per second, and the same work done by Pillow
 * when the system Python has it: with draft mode (DCT-domain 1/2 decoding, what Pillow users do)
 * and without. No Spark: this measures the per-core work that every executor does.
 */
public final class PreprocessBench {
  /** Pillow's side: the same crop and Lanczos resize to the same size, PNG at zlib level 6. */
  static final String PILLOW_SCRIPT = String.join("\n",
      "import io, sys, time",
      "from PIL import Image, ImageOps",
      "W, H, level = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])",
      "datas = [open(f, 'rb').read() for f in sys.argv[4:]]",
      "def one(d, draft):",
      "    im = Image.open(io.BytesIO(d))",
      "    if draft:",
      "        im.draft('RGB', (W, H))  # largest DCT scale (1/2, 1/4, 1/8) still >= W x H",
      "    im = ImageOps.exif_transpose(im).convert('RGB')",
      "    w, h = im.size",
      "    s = max(W / w, H / h)",
      "    cw, ch = W / s, H / s",
      "    box = ((w - cw) / 2, (h - ch) / 2, (w + cw) / 2, (h + ch) / 2)",
      "    out = im.resize((W, H), Image.LANCZOS, box=box)",
      "    buf = io.BytesIO()",
      "    out.save(buf, 'PNG', compress_level=level)",
      "def rate(draft):",
      "    one(datas[0], draft)  # warm-up",
      "    t = time.perf_counter()",
      "    for d in datas:",
      "        one(d, draft)",
      "    return len(datas) / (time.perf_counter() - t)",
      "import PIL",
      "print('pillow', PIL.__version__, rate(True), rate(False))",
      "");

  /**
   * @param javaRate images/s of our processor, one thread
   * @param pillowDraft images/s of Pillow with draft mode, or NaN when Pillow is missing
   * @param pillowFull images/s of Pillow decoding at full size, or NaN
   * @param pillowVersion Pillow's version, or why it did not run
   */
  public record Result(int images, String size, double javaRate, double pillowDraft, double pillowFull,
      String pillowVersion) {}

  private PreprocessBench() {}

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

  /**
   * Runs {@code rounds} rounds, each a Java pass over all images then (when asked) a Pillow pass with
   * and one without draft mode, and reports the best pass of each: on a shared machine the best pass
   * is the one least disturbed by other work, and interleaving gives both sides the same conditions.
   */
  public static Result run(PreprocessConfig config, List<Path> files, String size, boolean pillow, int rounds,
      PrintStream log) throws Exception {
    List<byte[]> datas = new ArrayList<>();
    for (Path f : files) {
      datas.add(Files.readAllBytes(f));
    }
    ImageProcessor processor = new ImageProcessor(config);
    for (int i = 0; i < Math.min(3, datas.size()); i++) {
      check(processor.process("warm-up", datas.get(i))); // JIT warm-up
    }
    double javaRate = 0;
    double draft = Double.NaN;
    double full = Double.NaN;
    String version = pillow ? "not run" : "not asked";
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      for (byte[] d : datas) {
        check(processor.process("bench", d));
      }
      double rate = datas.size() / ((System.nanoTime() - start) / 1e9);
      javaRate = Math.max(javaRate, rate);
      String line = String.format("round %d: java %.2f images/s", round, rate);
      if (pillow) {
        String[] p = pillow(config, files);
        if (p.length == 4) {
          version = "Pillow " + p[1];
          draft = Double.isNaN(draft) ? Double.parseDouble(p[2]) : Math.max(draft, Double.parseDouble(p[2]));
          full = Double.isNaN(full) ? Double.parseDouble(p[3]) : Math.max(full, Double.parseDouble(p[3]));
          line += String.format(", pillow %s (draft) %s (full decode)", p[2].substring(0, Math.min(4, p[2].length())),
              p[3].substring(0, Math.min(4, p[3].length())));
        } else {
          version = String.join(" ", p);
          pillow = false;
        }
      }
      log.println(line);
    }
    log.printf("java:   %.2f images/s (best of %d rounds of %d images, one thread)%n", javaRate, rounds, datas.size());
    if (!Double.isNaN(draft)) {
      log.printf("pillow: %.2f images/s with draft mode, %.2f without (%s, /usr/bin/python3, best of %d)%n", draft,
          full, version, rounds);
    } else {
      log.println("pillow: not run: " + version);
    }
    return new Result(datas.size(), size, javaRate, draft, full, version);
  }

  private static void check(ImageProcessor.Outcome o) {
    if (!o.kept()) {
      throw new IllegalStateException("benchmark image rejected: " + o.reason() + ": " + o.details()
          + " (the benchmark turns the quality filters off; is the size below the preset's?)");
    }
  }

  /** Runs the Pillow script; returns {"pillow", version, draftRate, fullRate} or a reason it did not run. */
  private static String[] pillow(PreprocessConfig config, List<Path> files) throws Exception {
    File python = new File("/usr/bin/python3");
    if (!python.canExecute()) {
      return new String[] {"/usr/bin/python3 is missing"};
    }
    Path script = Files.createTempFile("pdm-bench-pillow", ".py");
    try {
      Files.writeString(script, PILLOW_SCRIPT);
      List<String> cmd = new ArrayList<>(List.of(python.getPath(), script.toString(),
          Integer.toString(config.geometry().width()), Integer.toString(config.geometry().height()),
          Integer.toString(config.encoder().pngLevel())));
      files.forEach(f -> cmd.add(f.toString()));
      Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!proc.waitFor(30, TimeUnit.MINUTES) || proc.exitValue() != 0) {
        return new String[] {output.contains("No module named 'PIL'")
            ? "Pillow is not installed (apt-get install python3-pil)" : "the Pillow script failed: " + output};
      }
      String last = output.substring(output.lastIndexOf('\n') + 1);
      return last.split(" ");
    } finally {
      Files.deleteIfExists(script);
    }
  }
}
