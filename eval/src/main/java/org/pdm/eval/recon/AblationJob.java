package org.pdm.eval.recon;

import static org.apache.spark.sql.functions.col;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.ValidationSplit;
import org.pdm.core.stage.StageContext;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.eval.sample.Pixels;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.Checkpoint;

/**
 * {@code pdm eval ablation}: the paper's Fig. 7 on a few images, on the driver (a handful of images
 * needs no executors; Spark only reads the dataset). The images are the dataset's rows of the
 * autoencoder's size with the lowest {@link ValidationSplit#unitHash}: the validation split's come
 * first, and the choice is the same on every run. Each is encoded to its latent means and decoded
 * once per {@link AblationVariant}, a dropped level replaced by zeros or noise.
 *
 * <pre>
 * out/
 *   ablation.png    rows: images (the end of the id on the left); columns: original, then the variants (labelled)
 *   ablation.json   levels, fill, images (id, validation or not), per variant: keep, PSNR and SSIM
 *                   per image and their means
 *   ablation.md     the PSNR / SSIM table
 * </pre>
 */
public final class AblationJob {
  static final String GRID = "ablation.png";
  static final String RESULT = "ablation.json";
  static final String TABLE = "ablation.md";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AblationJob() {}

  /** A chosen image: its id, whether it is in the validation split, and its pixels. */
  private record Picked(String id, boolean validation, byte[] rgb) {}

  public static StageResult run(SparkSession spark, PdmConfig config, String dataset, String autoencoder, String out,
      boolean force) throws Exception {
    AblationConfig c = AblationConfig.from(config);
    var hadoop = spark.sparkContext().hadoopConfiguration();
    ReconInputs in = ReconInputs.resolve(hadoop, dataset, autoencoder, c.ema(), "eval ablation");
    return StageOutput.at(hadoop, out).run(spec(c, in), force, ctx -> ablate(spark, ctx, c, in));
  }

  /** What a run would record in its manifest, without Spark: for pdm pipeline's plan and pdm status. */
  public static StageSpec spec(org.apache.hadoop.conf.Configuration hadoop, PdmConfig config, String dataset,
      String autoencoder) throws java.io.IOException {
    AblationConfig c = AblationConfig.from(config);
    return spec(c, ReconInputs.resolve(hadoop, dataset, autoencoder, c.ema(), "eval ablation"));
  }

  private static StageSpec spec(AblationConfig c, ReconInputs in) throws java.io.IOException {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("autoencoder", in.autoencoder().checkpoint());
    spec.put("autoencoder_sha256", in.autoencoder().hash());
    spec.put("ema", in.autoencoder().ema());
    spec.put("count", c.count());
    spec.put("fill", c.fill().name().toLowerCase());
    spec.put("seed", c.seed());
    spec.put("validation_fraction", c.validationFraction());
    return new StageSpec(AblationConfig.STAGE, JSON.writeValueAsString(spec), List.of(in.dataset().toString()));
  }

  private static void ablate(SparkSession spark, StageContext ctx, AblationConfig c, ReconInputs in) throws Exception {
    AutoEncoderConfig ae = in.config();
    int width = ae.imageWidth();
    int height = ae.imageHeight();
    List<Picked> images = ctx.timed("read", () -> pick(spark, in.dataset(), c, width, height, ctx));
    if (images.isEmpty()) {
      throw new IllegalStateException("no image of " + in.dataset() + " is " + width + "x" + height
          + " and decodable: the ablation needs images of the autoencoder's size (preprocess to it)");
    }
    List<LevelSpec> levels = ae.latents();
    List<AblationVariant> variants = AblationVariant.all(levels);
    byte[][][] cells = new byte[images.size()][1 + variants.size()][];
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Checkpoint.Loaded loaded = Checkpoint.loadModel(in.autoencoder().local(), manager, Device.cpu(),
          in.autoencoder().ema());
      PyramidAutoEncoder model = (PyramidAutoEncoder) loaded.model();
      Rng rng = new Rng(c.seed());
      ctx.timed("decode", () -> {
        for (int i = 0; i < images.size(); i++) {
          cells[i][0] = images.get(i).rgb();
          for (int v = 0; v < variants.size(); v++) {
            cells[i][v + 1] = decode(model, images.get(i).rgb(), variants.get(v).keep(), c.fill(), rng, width,
                height);
          }
        }
        return null;
      });
    }
    List<String> rows = images.stream().map(Picked::id).toList();
    List<String> cols = new ArrayList<>(List.of("original"));
    variants.forEach(v -> cols.add(v.name()));
    try (OutputStream os = ctx.fs().create(new Path(ctx.dir(), GRID), true)) {
      ImageIO.write(AblationGrid.draw(rows, cols, cells, width, height), "png", os);
    }
    ObjectNode json = JSON.createObjectNode();
    ArrayNode lv = json.putArray("levels");
    levels.forEach(l -> lv.add(AblationVariant.label(l)));
    json.put("fill", c.fill().name().toLowerCase());
    json.put("seed", c.seed());
    json.put("autoencoder", in.autoencoder().checkpoint());
    json.put("autoencoder_sha256", in.autoencoder().hash());
    json.put("ema", in.autoencoder().ema());
    ArrayNode im = json.putArray("images");
    for (Picked p : images) {
      im.addObject().put("id", p.id()).put("validation", p.validation());
    }
    ArrayNode vs = json.putArray("variants");
    StringBuilder md = new StringBuilder("| variant | levels kept | PSNR (dB) | SSIM |\n|---|---|---:|---:|\n");
    for (int v = 0; v < variants.size(); v++) {
      ObjectNode o = vs.addObject();
      AblationVariant variant = variants.get(v);
      o.put("name", variant.name());
      ArrayNode keep = o.putArray("keep");
      List<String> kept = new ArrayList<>();
      for (int l = 0; l < levels.size(); l++) {
        keep.add(variant.keep()[l]);
        if (variant.keep()[l]) {
          kept.add(AblationVariant.label(levels.get(l)));
        }
      }
      ArrayNode psnr = o.putArray("psnr");
      ArrayNode ssim = o.putArray("ssim");
      double ps = 0;
      double ss = 0;
      for (int i = 0; i < images.size(); i++) {
        double p = ImageMetrics.psnr(cells[i][0], cells[i][v + 1]);
        double s = ImageMetrics.ssim(cells[i][0], cells[i][v + 1], width, height);
        psnr.add(p);
        ssim.add(s);
        ps += p;
        ss += s;
      }
      o.put("psnr_mean", ps / images.size());
      o.put("ssim_mean", ss / images.size());
      md.append(String.format("| %s | %s | %.2f | %.4f |%n", variant.name(), String.join(" + ", kept),
          ps / images.size(), ss / images.size()));
    }
    md.append(String.format("%nPSNR and SSIM against the original, mean over %d images; dropped levels filled "
        + "with %s.%n", images.size(), c.fill().name().toLowerCase()));
    try (OutputStream os = ctx.fs().create(new Path(ctx.dir(), RESULT), true)) {
      JSON.writeValue(os, json);
    }
    try (PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(ctx.fs().create(new Path(ctx.dir(), TABLE),
        true), StandardCharsets.UTF_8))) {
      w.print(md);
    }
    ctx.count("images", images.size());
    ctx.count("variants", variants.size());
  }

  /**
   * Up to {@code count} decodable rows of the right size, lowest id hash first (validation first).
   * Ids and sizes are read for the whole dataset; pixels only for the candidates.
   */
  private static List<Picked> pick(SparkSession spark, Path dataset, AblationConfig c, int width, int height,
      StageContext ctx) {
    var all = spark.read().parquet(dataset.toString());
    List<String> ids = new ArrayList<>();
    for (Row r : all.where(col("width").equalTo(width).and(col("height").equalTo(height))).select("id")
        .collectAsList()) {
      ids.add(r.getString(0));
    }
    ids.sort(Comparator.comparingDouble(ValidationSplit::unitHash).thenComparing(Comparator.naturalOrder()));
    ValidationSplit split = new ValidationSplit(c.validationFraction());
    List<Picked> out = new ArrayList<>();
    long rejected = 0;
    for (int from = 0; from < ids.size() && out.size() < c.count(); from += 2 * c.count()) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 2 * c.count()));
      List<Row> rows = new ArrayList<>(all.where(col("id").isin(chunk.toArray())).select("id", "image", "format")
          .collectAsList());
      rows.sort(Comparator.comparingInt(r -> chunk.indexOf(r.getString(0))));
      for (Row r : rows) {
        if (out.size() == c.count()) {
          break;
        }
        try {
          out.add(new Picked(r.getString(0), split.isValidation(r.getString(0)),
              DatasetImages.rgb(r.getAs(1), r.getString(2), width, height)));
        } catch (DatasetImages.BadImageException e) {
          rejected++;
        }
      }
    }
    ctx.count("undecodable", rejected);
    return out;
  }

  /** One image (uint8 HWC) encoded to its latent means and decoded with only the levels in {@code keep}. */
  private static byte[] decode(PyramidAutoEncoder model, byte[] rgb, boolean[] keep, PyramidAutoEncoder.Fill fill,
      Rng rng, int width, int height) {
    int plane = width * height;
    float[] chw = new float[3 * plane];
    for (int p = 0, o = 0; p < plane; p++, o += 3) {
      for (int ch = 0; ch < 3; ch++) {
        chw[ch * plane + p] = (rgb[o + ch] & 0xff) / 127.5f - 1f;
      }
    }
    try (StepScope scope = StepScope.open(model)) {
      Ctx ctx = Ctx.eval(scope.manager());
      NDList z = model.encode(ctx, ctx.create(chw, new Shape(1, 3, height, width))).mode();
      return Pixels.rgb(model.decode(ctx, z, keep, fill, rng).toFloatArray(), 0, height, width);
    }
  }
}
