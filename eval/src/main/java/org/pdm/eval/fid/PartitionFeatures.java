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
import org.pdm.eval.fid.FeatureBatches.Picture;
import org.pdm.model.executor.TaskDevices;

/**
 * One Spark task of feature extraction: rows {@code id, image, format, width, height} (a width below 0
 * means unknown: a file from a folder, decoded whatever its size) decoded, then to rows of
 * {@link FeatureSchema} through {@link FeatureBatches}; an undecodable picture keeps its row with its reason.
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

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws Exception {
    List<Row> out = new ArrayList<>();
    FeatureBatches batches = new FeatureBatches(detector, mode, size, batchSize, TaskDevices.current().device());
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
      done.add(batches.add(p, out));
    }
    done.add(batches.flush(out));
    return out.iterator();
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
