package org.pdm.eval.recon;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.schema.DatasetImages;
import org.pdm.eval.sample.ModelSource;
import org.pdm.model.executor.TaskDevices;

/**
 * One Spark task of {@code pdm eval recon}: its validation rows ({@code id, image, format, width,
 * height}) in batches through the executor's autoencoder ({@link Reconstructor}); a row that cannot be
 * used becomes a reject with its reason. With rFID the originals and reconstructions also go through
 * the FID extractor here ({@link RfidFeatures}). Returns one {@link Result} per partition.
 */
final class ReconTask implements FlatMapFunction<Iterator<Row>, ReconTask.Result> {
  static final String UNDECODABLE = "undecodable";
  static final String WRONG_SIZE = "wrong-size";

  /**
   * What one task measured, the rows it could not use ({id, reason, details}), and with rFID the
   * moments of the originals' and reconstructions' features (else null).
   */
  record Result(List<Reconstructor.Score> scores, List<String[]> rejects, RfidFeatures.Moments rfid)
      implements Serializable {
    static Result empty() {
      return new Result(new ArrayList<>(), new ArrayList<>(), null);
    }

    /** Both tasks' results in one (for treeAggregate: partials merge on the way to the driver). */
    Result merge(Result o) {
      scores.addAll(o.scores);
      rejects.addAll(o.rejects);
      RfidFeatures.Moments m = rfid == null ? o.rfid : o.rfid == null ? rfid : rfid.merge(o.rfid);
      return new Result(scores, rejects, m);
    }
  }

  private final ModelSource source;
  private final int width;
  private final int height;
  private final int batchSize;
  private final LongAccumulator done;

  private final RfidFeatures.Spec rfid;

  /** @param rfid the FID extractor for rFID, or null to measure PSNR and SSIM only */
  ReconTask(ModelSource source, int width, int height, int batchSize, RfidFeatures.Spec rfid, LongAccumulator done) {
    this.rfid = rfid;
    this.source = source;
    this.width = width;
    this.height = height;
    this.batchSize = batchSize;
    this.done = done;
  }

  @Override
  public Iterator<Result> call(Iterator<Row> rows) throws Exception {
    Result result = Result.empty();
    Reconstructor model = null;
    RfidFeatures features = rfid == null ? null : new RfidFeatures(rfid, TaskDevices.current().device());
    List<String> ids = new ArrayList<>();
    List<float[]> chw = new ArrayList<>();
    List<byte[]> rgb = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      String id = r.getString(0);
      int w = r.isNullAt(3) ? -1 : r.getInt(3);
      int h = r.isNullAt(4) ? -1 : r.getInt(4);
      if (w != width || h != height) {
        result.rejects().add(new String[] {id, WRONG_SIZE, "the row is " + w + "x" + h + ", the autoencoder takes "
            + width + "x" + height});
        done.add(1);
        continue;
      }
      try {
        byte[] pixels = DatasetImages.rgb(r.isNullAt(1) ? null : r.getAs(1), r.getString(2), w, h);
        chw.add(unit(pixels));
        rgb.add(pixels);
        ids.add(id);
      } catch (DatasetImages.BadImageException e) {
        result.rejects().add(new String[] {id, UNDECODABLE, e.getMessage()});
        done.add(1);
      }
      if (ids.size() == batchSize) {
        model = flush(model, ids, chw, rgb, result, features);
      }
    }
    if (!ids.isEmpty()) {
      flush(model, ids, chw, rgb, result, features);
    }
    return List.of(features == null ? result : new Result(result.scores(), result.rejects(), features.finish()))
        .iterator();
  }

  /** Scores the gathered batch and clears it; loads the model on the first batch. */
  private Reconstructor flush(Reconstructor model, List<String> ids, List<float[]> chw, List<byte[]> rgb,
      Result result, RfidFeatures features) throws Exception {
    if (model == null) {
      model = new Reconstructor(source.get(TaskDevices.current().device()));
    }
    Reconstructor.Scored scored = model.score(ids, chw, rgb, width, height);
    result.scores().addAll(scored.scores());
    if (features != null) { // the same pictures the scores compare, in the same task
      for (int i = 0; i < ids.size(); i++) {
        features.add(ids.get(i), rgb.get(i), scored.reconstructions().get(i), width, height);
      }
    }
    done.add(ids.size());
    ids.clear();
    chw.clear();
    rgb.clear();
    return model;
  }

  /** uint8 HWC to the autoencoder's input, CHW floats v / 127.5 - 1 (as {@link DatasetImages#chwUnit}). */
  private float[] unit(byte[] hwc) {
    int plane = width * height;
    float[] out = new float[3 * plane];
    for (int i = 0, o = 0; i < plane; i++, o += 3) {
      for (int c = 0; c < 3; c++) {
        out[c * plane + i] = (hwc[o + c] & 0xff) / 127.5f - 1f;
      }
    }
    return out;
  }
}
