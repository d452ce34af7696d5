package org.pdm.train.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.pdm.core.schema.DatasetImages;

/**
 * Rows of preprocess's dataset (core's DatasetSchema): each picture decoded by
 * {@link DatasetImages#chwUnit} to CHW floats in [-1, 1]. Every picture of a batch must have the
 * dataset's size ({@code width x height}, the most common size, see {@link DataIndex}); another size
 * is a bad row, as is a picture that does not decode.
 */
final class ImageRows implements RowFormat {
  private final int width;
  private final int height;

  ImageRows(int width, int height) {
    this.width = width;
    this.height = height;
  }

  @Override
  public List<String> columns() {
    return List.of("image", "format", "width", "height");
  }

  @Override
  public RawRow raw(String id, Group record) {
    byte[] image = RowFormat.bytes(record, "image");
    if (image == null) {
      return RawRow.bad(id, "null image");
    }
    if (record.getFieldRepetitionCount("format") == 0 || record.getFieldRepetitionCount("width") == 0
        || record.getFieldRepetitionCount("height") == 0) {
      return RawRow.bad(id, "null format, width or height");
    }
    return new RawRow(id, new byte[][] {image}, record.getString("format", 0), record.getInteger("width", 0),
        record.getInteger("height", 0), null);
  }

  @Override
  public Decoded decode(List<RawRow> rows) {
    int plane = 3 * width * height;
    List<String> ids = new ArrayList<>(rows.size());
    List<float[]> images = new ArrayList<>(rows.size());
    List<BadRows.Row> bad = new ArrayList<>();
    for (RawRow row : rows) {
      if (row.problem() != null) {
        bad.add(new BadRows.Row(row.id(), row.problem()));
      } else if (row.width() != width || row.height() != height) {
        bad.add(new BadRows.Row(row.id(), "size " + row.width() + "x" + row.height() + ", the dataset's is "
            + width + "x" + height));
      } else {
        try {
          images.add(DatasetImages.chwUnit(row.blobs()[0], row.format(), width, height));
          ids.add(row.id());
        } catch (DatasetImages.BadImageException e) {
          bad.add(new BadRows.Row(row.id(), e.getMessage()));
        }
      }
    }
    float[] out = new float[images.size() * plane]; // (B, 3, H, W)
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, out, i * plane, plane);
    }
    return new Decoded(new Batch(ids, List.of(out), List.of(new long[] {ids.size(), 3, height, width})), bad);
  }
}
