package org.pdm.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format, written and read here (float32 only): an 8-byte little-endian header
 * length N, N bytes of JSON ({@code {"name": {"dtype": "F32", "shape": [...], "data_offsets":
 * [begin, end]}, ..., "__metadata__": {...}}}, padded with spaces to a multiple of 8), then the raw
 * little-endian data of every tensor back to back. {@code safetensors.torch.load_file} reads it.
 */
public final class SafeTensors {
  private SafeTensors() {}

  /** A tensor read back: shape and values. */
  public record Tensor(Shape shape, float[] data) {}

  /** Writes {@code tensors} (float32) in order, with optional string {@code metadata}. */
  public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
      throws IOException {
    Map<String, float[]> data = new LinkedHashMap<>();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      NDArray a = e.getValue();
      if (a.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException(e.getKey() + " is " + a.getDataType() + ", only float32");
      }
      data.put(e.getKey(), a.toFloatArray());
      shapes.put(e.getKey(), a.getShape());
    }
    writeRaw(file, data, shapes, metadata);
  }

  /** Writes float arrays with their shapes. */
  public static void writeRaw(Path file, Map<String, float[]> data, Map<String, Shape> shapes,
      Map<String, String> metadata) throws IOException {
    JsonObject header = new JsonObject();
    if (metadata != null && !metadata.isEmpty()) {
      JsonObject meta = new JsonObject();
      metadata.forEach(meta::addProperty);
      header.add("__metadata__", meta);
    }
    long offset = 0;
    for (Map.Entry<String, float[]> e : data.entrySet()) {
      JsonObject t = new JsonObject();
      t.addProperty("dtype", "F32");
      JsonArray shape = new JsonArray();
      for (long d : shapes.get(e.getKey()).getShape()) {
        shape.add(d);
      }
      t.add("shape", shape);
      JsonArray offsets = new JsonArray();
      long end = offset + 4L * e.getValue().length;
      offsets.add(offset);
      offsets.add(end);
      t.add("data_offsets", offsets);
      header.add(e.getKey(), t);
      offset = end;
    }
    byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write(head.array());
      ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] values : data.values()) {
        for (float v : values) {
          if (!buf.hasRemaining()) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
          }
          buf.putFloat(v);
        }
      }
      out.write(buf.array(), 0, buf.position());
    }
  }

  /** Reads every tensor, in file order. */
  public static Map<String, Tensor> read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len);
      long n = len.flip().getLong();
      if (n <= 0 || n > 100_000_000L || n + 8 > ch.size()) {
        throw new IOException(file + ": not a safetensors file (header length " + n + ")");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) n);
      readFully(ch, hb);
      JsonObject header = new Gson().fromJson(new String(hb.array(), StandardCharsets.UTF_8).trim(),
          JsonObject.class);
      long base = 8 + n;
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : header.entrySet()) {
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonObject t = e.getValue().getAsJsonObject();
        if (!"F32".equals(t.get("dtype").getAsString())) {
          throw new IOException(file + ": " + e.getKey() + " has dtype " + t.get("dtype")
              + ", only F32 is read");
        }
        JsonArray sh = t.getAsJsonArray("shape");
        long[] dims = new long[sh.size()];
        for (int i = 0; i < dims.length; i++) {
          dims[i] = sh.get(i).getAsLong();
        }
        JsonArray off = t.getAsJsonArray("data_offsets");
        long begin = off.get(0).getAsLong();
        long end = off.get(1).getAsLong();
        Shape shape = new Shape(dims);
        if (end - begin != 4 * shape.size() || base + end > ch.size()) {
          throw new IOException(file + ": " + e.getKey() + " has inconsistent offsets");
        }
        ByteBuffer db = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        ch.position(base + begin);
        readFully(ch, db);
        db.flip();
        float[] values = new float[(int) shape.size()];
        db.asFloatBuffer().get(values);
        out.put(e.getKey(), new Tensor(shape, values));
      }
      return out;
    }
  }

  /** The {@code __metadata__} entries. */
  public static Map<String, String> metadata(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, len);
      ByteBuffer hb = ByteBuffer.allocate((int) len.flip().getLong());
      readFully(ch, hb);
      JsonObject header = new Gson().fromJson(new String(hb.array(), StandardCharsets.UTF_8).trim(),
          JsonObject.class);
      Map<String, String> out = new LinkedHashMap<>();
      if (header.has("__metadata__")) {
        header.getAsJsonObject("__metadata__").entrySet()
            .forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
      }
      return out;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }
}
