package org.pdm.core.schema;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latent cache {@code pdm encode} writes and flow training reads ({@code <latents>/latents/}):
 * one row per image, {@code id} (string) and per pyramid level {@code z<i>} (level 0 the largest), the
 * posterior mean as a flat little-endian array (C, H, W) row-major of {@link Dtype}; with the
 * posterior kept, {@code z<i>_logvar} beside it. Everything needed to reshape a value is in each
 * Parquet file's key-value metadata under {@code pdm.latent.*} (plain strings, readable by pyarrow's
 * {@code schema.metadata} and DuckDB's {@code parquet_kv_metadata}), so no reader needs our code.
 */
public final class LatentSchema {
  private LatentSchema() {}

  /** Key-value metadata keys of every latent Parquet file (and fields of the manifest's layout). */
  public static final String KEY_FORMAT = "pdm.latent.format";
  public static final String KEY_LEVELS = "pdm.latent.levels";
  public static final String KEY_DTYPE = "pdm.latent.dtype";
  public static final String KEY_BYTE_ORDER = "pdm.latent.byte-order";
  public static final String KEY_SHAPE_PREFIX = "pdm.latent.shape.";
  public static final String KEY_LOGVAR = "pdm.latent.logvar";
  public static final String KEY_CHECKPOINT = "pdm.latent.checkpoint";
  public static final String KEY_CHECKPOINT_HASH = "pdm.latent.checkpoint-sha256";
  public static final String KEY_NORMALIZATION = "pdm.latent.normalization";
  public static final String KEY_IMAGE_SIZE = "pdm.latent.image-size";
  /** Version of this layout; changes only when a key or column changes meaning. */
  public static final String FORMAT = "pdm-latents-1";
  /** The autoencoder's input normalization, as {@link DatasetImages#chwUnit} applies it. */
  public static final String NORMALIZATION = "x = rgb8 / 127.5 - 1 (sRGB, CHW, range [-1, 1])";

  /** The stored element type: float16 (numpy '<f2') or float32 ('<f4'), little-endian. */
  public enum Dtype {
    FLOAT16(2, "<f2"), FLOAT32(4, "<f4");

    private final int bytes;
    private final String numpy;

    Dtype(int bytes, String numpy) {
      this.bytes = bytes;
      this.numpy = numpy;
    }

    public String label() {
      return name().toLowerCase();
    }

    public static Dtype of(String label) {
      return valueOf(label.trim().toUpperCase());
    }

    /** {@code values[off, off + len)} as little-endian bytes of this type. */
    public byte[] encode(float[] values, int off, int len) {
      ByteBuffer buf = ByteBuffer.allocate(len * bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = off; i < off + len; i++) {
        if (this == FLOAT16) {
          buf.putShort(Float16.fromFloat(values[i]));
        } else {
          buf.putFloat(values[i]);
        }
      }
      return buf.array();
    }

    /** Little-endian bytes of this type back to floats (exact). */
    public float[] decode(byte[] data) {
      ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[data.length / bytes];
      for (int i = 0; i < out.length; i++) {
        out[i] = this == FLOAT16 ? Float16.toFloat(buf.getShort()) : buf.getFloat();
      }
      return out;
    }

    public String numpy() {
      return numpy;
    }
  }

  /** A pyramid level's latent shape (C, H, W). */
  public record Level(int channels, int height, int width) implements java.io.Serializable {
    public int size() {
      return channels * height * width;
    }

    public String text() {
      return channels + "," + height + "," + width;
    }
  }

  /** What the metadata says: level order, shapes, dtype and where the latents came from. */
  public record Layout(List<Level> levels, Dtype dtype, boolean logvar, String checkpoint, String checkpointHash,
      int imageHeight, int imageWidth) implements java.io.Serializable {
    public Layout {
      levels = List.copyOf(levels);
    }

    /** The column names in order: id, z0, [z0_logvar], z1, ... */
    public List<String> columns() {
      List<String> out = new ArrayList<>(List.of("id"));
      for (int i = 0; i < levels.size(); i++) {
        out.add(column(i));
        if (logvar) {
          out.add(logvarColumn(i));
        }
      }
      return out;
    }

    /** The Parquet key-value metadata (and the manifest's {@code layout}). */
    public Map<String, String> metadata() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put(KEY_FORMAT, FORMAT);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < levels.size(); i++) {
        names.add(column(i));
        m.put(KEY_SHAPE_PREFIX + column(i), levels.get(i).text());
      }
      m.put(KEY_LEVELS, String.join(",", names));
      m.put(KEY_DTYPE, dtype.label());
      m.put(KEY_BYTE_ORDER, "little");
      m.put(KEY_LOGVAR, Boolean.toString(logvar));
      m.put(KEY_CHECKPOINT, checkpoint);
      m.put(KEY_CHECKPOINT_HASH, checkpointHash);
      m.put(KEY_NORMALIZATION, NORMALIZATION);
      m.put(KEY_IMAGE_SIZE, imageHeight + "," + imageWidth);
      return m;
    }

    /** Reads {@link #metadata()} back (from a Parquet footer or the manifest). */
    public static Layout fromMetadata(Map<String, String> m) {
      if (!FORMAT.equals(m.get(KEY_FORMAT))) {
        throw new IllegalArgumentException("not a latent cache of format " + FORMAT + ": " + KEY_FORMAT + " = "
            + m.get(KEY_FORMAT));
      }
      List<Level> levels = new ArrayList<>();
      for (String name : m.get(KEY_LEVELS).split(",")) {
        String[] s = m.get(KEY_SHAPE_PREFIX + name).split(",");
        levels.add(new Level(Integer.parseInt(s[0]), Integer.parseInt(s[1]), Integer.parseInt(s[2])));
      }
      String[] size = m.get(KEY_IMAGE_SIZE).split(",");
      return new Layout(levels, Dtype.of(m.get(KEY_DTYPE)), Boolean.parseBoolean(m.get(KEY_LOGVAR)),
          m.get(KEY_CHECKPOINT), m.get(KEY_CHECKPOINT_HASH), Integer.parseInt(size[0]), Integer.parseInt(size[1]));
    }
  }

  /** The column of level {@code i}'s posterior mean. */
  public static String column(int i) {
    return "z" + i;
  }

  /** The column of level {@code i}'s posterior log-variance (with the posterior kept). */
  public static String logvarColumn(int i) {
    return "z" + i + "_logvar";
  }
}
