package org.pdm.eval.fid;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.schema.FeatureSchema;
import org.pdm.model.executor.DevicePolicy;
import org.pdm.model.executor.EngineThreads;
import org.pdm.model.executor.ModelRegistry;
import org.pdm.model.executor.TaskDevices;

/**
 * One Spark task of feature extraction: rows {@code id, image, format, width, height} (a width below 0
 * means unknown: a file from a folder, decoded whatever its size) to rows of {@link FeatureSchema}, in
 * batches through this executor's {@link FeatureNetwork}. In {@code clean} mode every picture is resized
 * to {@code size x size} first; in {@code legacy-tensorflow} mode pictures go in as uint8, a batch
 * holding pictures of one size only.
 */
final class PartitionFeatures implements FlatMapFunction<Iterator<Row>, Row> {
  private final DetectorSource detector;
  private final ResizeMode mode;
  private final int size;
  private final int batchSize;
  private final LongAccumulator done;

  PartitionFeatures(DetectorSource detector, ResizeMode mode, int size, int batchSize, LongAccumulator done) {
    this.detector = detector;
    this.mode = mode;
    this.size = size;
    this.batchSize = batchSize;
    this.done = done;
  }

  /** A decoded picture: HWC RGB bytes. */
  private record Picture(String id, byte[] rgb, int width, int height) {}

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws Exception {
    List<Row> out = new ArrayList<>();
    List<Picture> batch = new ArrayList<>(batchSize);
    DevicePolicy.Choice device = TaskDevices.current();
    List<ModelRegistry.Entry<FeatureNetwork>> model = new ArrayList<>(1);
    while (rows.hasNext()) {
      Row r = rows.next();
      String id = r.getString(0);
      Picture p;
      try {
        p = decode(id, r.isNullAt(1) ? null : r.getAs(1), r.getString(2), r.isNullAt(3) ? -1 : r.getInt(3),
            r.isNullAt(4) ? -1 : r.getInt(4));
      } catch (DatasetImages.BadImageException e) {
        out.add(RowFactory.create(id, null, FeatureSchema.UNDECODABLE, e.getMessage()));
        done.add(1);
        continue;
      }
      boolean sizeChanges = !batch.isEmpty() && mode == ResizeMode.LEGACY_TENSORFLOW
          && (batch.get(0).width() != p.width() || batch.get(0).height() != p.height());
      if (batch.size() == batchSize || sizeChanges) {
        flush(batch, model, device, out);
      }
      batch.add(p);
    }
    flush(batch, model, device, out);
    return out.iterator();
  }

  private void flush(List<Picture> batch, List<ModelRegistry.Entry<FeatureNetwork>> model,
      DevicePolicy.Choice device, List<Row> out) throws Exception {
    if (batch.isEmpty()) {
      return;
    }
    if (model.isEmpty()) {
      model.add(detector.get(device.device())); // a load failure fails the task: no picture is to blame
      EngineThreads.applyToCurrentThread();
    }
    float[][] features;
    try {
      features = extract(model.get(0), batch);
    } catch (RuntimeException e) {
      for (Picture p : batch) {
        out.add(RowFactory.create(p.id(), null, FeatureSchema.EXTRACT_FAILED, "the extractor failed on the batch "
            + "holding this picture (" + p.width() + "x" + p.height() + "): " + e.getMessage()));
      }
      done.add(batch.size());
      batch.clear();
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      out.add(RowFactory.create(batch.get(i).id(), features[i], null, null));
    }
    done.add(batch.size());
    batch.clear();
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

  /** A dataset row through DatasetImages; a file of unknown size (width < 0) through ImageIO alone. */
  static Picture decode(String id, byte[] image, String format, int width, int height)
      throws DatasetImages.BadImageException {
    if (width >= 0 && height >= 0) {
      return new Picture(id, DatasetImages.rgb(image, format, width, height), width, height);
    }
    BufferedImage img;
    try {
      img = image == null ? null : ImageIO.read(new ByteArrayInputStream(image));
    } catch (java.io.IOException | RuntimeException e) {
      throw new DatasetImages.BadImageException("cannot decode: " + e.getMessage());
    }
    if (img == null) {
      throw new DatasetImages.BadImageException("not a picture the JVM decodes (png, jpeg, bmp, gif)");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[argb.length * 3];
    for (int i = 0; i < argb.length; i++) {
      rgb[3 * i] = (byte) (argb[i] >> 16);
      rgb[3 * i + 1] = (byte) (argb[i] >> 8);
      rgb[3 * i + 2] = (byte) argb[i];
    }
    return new Picture(id, rgb, w, h);
  }
}
