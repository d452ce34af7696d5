package org.pdm.eval.fid;

import ai.djl.Device;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.pdm.core.schema.FeatureSchema;
import org.pdm.model.executor.ModelRegistry;

/**
 * Decoded pictures in, {@link FeatureSchema} rows out, in batches of {@code batchSize} through this
 * executor's {@link FeatureNetwork}, in the order the pictures came: what a feature task does once its
 * pictures are pixels, whether they were read from files ({@link PartitionFeatures}), drawn in the same
 * task (FID of a flow checkpoint) or reconstructed ({@code pdm eval recon}'s rFID). In {@code clean}
 * mode every picture is resized to {@code size x size} first; in {@code legacy-tensorflow} mode they go
 * in as uint8, a batch holding pictures of one size only. A batch the network fails on becomes rows
 * with their reason; the network is loaded with the first batch (a load failure fails the task: no
 * picture is to blame). Not thread-safe: one per task.
 */
public final class FeatureBatches {
  /** A decoded picture: uint8 HWC RGB. */
  public record Picture(String id, byte[] rgb, int width, int height) implements Serializable {}

  private final DetectorSource detector;
  private final ResizeMode mode;
  private final int size;
  private final int batchSize;
  private final Device device;
  private final List<Picture> batch;
  private ModelRegistry.Entry<FeatureNetwork> model;

  public FeatureBatches(DetectorSource detector, ResizeMode mode, int size, int batchSize, Device device) {
    this.detector = detector;
    this.mode = mode;
    this.size = size;
    this.batchSize = batchSize;
    this.device = device;
    this.batch = new ArrayList<>(batchSize);
  }

  /** Adds a picture; the rows of any batch it completed go to {@code out}. Returns how many were added. */
  public int add(Picture p, List<Row> out) throws Exception {
    boolean sizeChanges = !batch.isEmpty() && mode == ResizeMode.LEGACY_TENSORFLOW
        && (batch.get(0).width() != p.width() || batch.get(0).height() != p.height());
    int flushed = 0;
    if (batch.size() == batchSize || sizeChanges) {
      flushed = flush(out);
    }
    batch.add(p);
    return flushed;
  }

  /** Extracts what is gathered; its rows go to {@code out}. Returns how many. */
  public int flush(List<Row> out) throws Exception {
    int n = batch.size();
    if (n == 0) {
      return 0;
    }
    if (model == null) {
      model = detector.get(device);
    }
    float[][] features;
    try {
      features = extract(model, batch);
    } catch (RuntimeException e) {
      for (Picture p : batch) {
        out.add(RowFactory.create(p.id(), null, FeatureSchema.EXTRACT_FAILED, "the extractor failed on the batch "
            + "holding this picture (" + p.width() + "x" + p.height() + "): " + e.getMessage()));
      }
      batch.clear();
      return n;
    }
    for (int i = 0; i < n; i++) {
      out.add(RowFactory.create(batch.get(i).id(), features[i], null, null));
    }
    batch.clear();
    return n;
  }

  private float[][] extract(ModelRegistry.Entry<FeatureNetwork> model, List<Picture> batch) {
    int n = batch.size();
    if (mode == ResizeMode.CLEAN) {
      int plane = 3 * size * size;
      float[] x = new float[n * plane];
      for (int i = 0; i < n; i++) { // resized on the task thread, outside the model's lock
        Picture p = batch.get(i);
        System.arraycopy(CleanResize.rgbToChw(p.rgb(), p.width(), p.height(), size), 0, x, i * plane, plane);
      }
      return model.use(net -> net.features(x, n, size, size));
    }
    int w = batch.get(0).width();
    int h = batch.get(0).height();
    int plane = w * h;
    byte[] x = new byte[n * 3 * plane];
    for (int i = 0; i < n; i++) { // HWC to CHW
      byte[] rgb = batch.get(i).rgb();
      int base = i * 3 * plane;
      for (int j = 0; j < plane; j++) {
        x[base + j] = rgb[3 * j];
        x[base + plane + j] = rgb[3 * j + 1];
        x[base + 2 * plane + j] = rgb[3 * j + 2];
      }
    }
    return model.use(net -> net.features(x, n, h, w));
  }
}
