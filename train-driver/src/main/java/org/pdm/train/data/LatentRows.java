package org.pdm.train.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.pdm.core.schema.LatentSchema;

/**
 * Rows of encode's latent cache (core's LatentSchema): one little-endian float16 or float32 array
 * per level, {@code (C, H, W)} as the files' metadata says; a value of another byte length is a bad row.
 */
final class LatentRows implements RowFormat {
  private final LatentSchema.Layout layout;
  private final int elementBytes;

  LatentRows(LatentSchema.Layout layout) {
    this.layout = layout;
    this.elementBytes = layout.dtype() == LatentSchema.Dtype.FLOAT16 ? 2 : 4;
  }

  LatentSchema.Layout layout() {
    return layout;
  }

  @Override
  public List<String> columns() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < layout.levels().size(); i++) {
      out.add(LatentSchema.column(i));
    }
    return out;
  }

  @Override
  public RawRow raw(String id, Group record) {
    byte[][] blobs = new byte[layout.levels().size()][];
    for (int i = 0; i < blobs.length; i++) {
      blobs[i] = RowFormat.bytes(record, LatentSchema.column(i));
      if (blobs[i] == null) {
        return RawRow.bad(id, "null " + LatentSchema.column(i));
      }
    }
    return new RawRow(id, blobs, null, 0, 0, null);
  }

  @Override
  public Decoded decode(List<RawRow> rows) {
    List<LatentSchema.Level> levels = layout.levels();
    List<String> ids = new ArrayList<>(rows.size());
    List<BadRows.Row> bad = new ArrayList<>();
    List<RawRow> good = new ArrayList<>(rows.size());
    for (RawRow row : rows) {
      String problem = row.problem() != null ? row.problem() : lengthProblem(row);
      if (problem != null) {
        bad.add(new BadRows.Row(row.id(), problem));
      } else {
        good.add(row);
        ids.add(row.id());
      }
    }
    List<float[]> arrays = new ArrayList<>(levels.size());
    List<long[]> shapes = new ArrayList<>(levels.size());
    for (int l = 0; l < levels.size(); l++) {
      LatentSchema.Level level = levels.get(l);
      float[] out = new float[good.size() * level.size()]; // (B, C_l, H_l, W_l)
      for (int i = 0; i < good.size(); i++) {
        float[] z = layout.dtype().decode(good.get(i).blobs()[l]);
        System.arraycopy(z, 0, out, i * level.size(), level.size());
      }
      arrays.add(out);
      shapes.add(new long[] {good.size(), level.channels(), level.height(), level.width()});
    }
    return new Decoded(new Batch(ids, arrays, shapes), bad);
  }

  private String lengthProblem(RawRow row) {
    for (int l = 0; l < layout.levels().size(); l++) {
      LatentSchema.Level level = layout.levels().get(l);
      long expected = (long) level.size() * elementBytes;
      if (row.blobs()[l].length != expected) {
        return LatentSchema.column(l) + " has " + row.blobs()[l].length + " bytes, the layout says " + expected
            + " (" + level.text() + " " + layout.dtype().label() + ")";
      }
    }
    return null;
  }
}
