package org.pdm.eval.fid;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * numpy's {@code .npz} (a zip of {@code .npy} files): what pytorch-fid and clean-fid keep statistics in
 * ({@code mu}, {@code sigma}). Reads what {@code np.savez} and {@code np.savez_compressed} write
 * (float64, float32, integer and uint8 arrays, either byte order, C or Fortran order) and writes
 * float64 arrays, stored uncompressed, that {@code np.load} reads.
 */
public final class Npz {
  /** An array as float64 values in C (row-major) order, with its shape. */
  public record Array(long[] shape, double[] data) {
    public Array {
      long size = 1;
      for (long s : shape) {
        size *= s;
      }
      if (size != data.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, not "
            + data.length);
      }
    }

    public static Array vector(double[] v) {
      return new Array(new long[] {v.length}, v);
    }

    public static Array matrix(int rows, int cols, double[] v) {
      return new Array(new long[] {rows, cols}, v);
    }
  }

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiub])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npz() {}

  /** Every array of the file, by name (without {@code .npy}), in file order. */
  public static Map<String, Array> read(InputStream in, String source) throws IOException {
    Map<String, Array> arrays = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        if (e.getName().endsWith(".npy")) {
          String name = e.getName().substring(0, e.getName().length() - 4);
          arrays.put(name, npy(zip.readAllBytes(), source + ":" + e.getName()));
        }
      }
    }
    if (arrays.isEmpty()) {
      throw new IOException(source + " holds no .npy arrays: not an .npz file written by numpy");
    }
    return arrays;
  }

  /** One {@code .npy} file's array. */
  static Array npy(byte[] bytes, String source) throws IOException {
    if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII)
        .equals("NUMPY")) {
      throw new IOException(source + " is not a .npy array (no \\x93NUMPY magic)");
    }
    int major = bytes[6];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
    int start = major == 1 ? 10 : 12;
    String header = new String(bytes, start, headerLength, major == 3 ? StandardCharsets.UTF_8
        : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IOException(source + ": unsupported .npy header " + header.trim()
          + " (pdm reads numeric arrays: float64, float32, integers)");
    }
    long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(t -> !t.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    long count = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
    char kind = d.group(2).charAt(0);
    int width = Integer.parseInt(d.group(3));
    ByteBuffer data = ByteBuffer.wrap(bytes, start + headerLength, bytes.length - start - headerLength).slice()
        .order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    if (data.remaining() < count * width) {
      throw new IOException(source + ": " + data.remaining() + " bytes of data for shape " + Arrays.toString(shape)
          + " of " + width + "-byte values (a truncated file?)");
    }
    double[] v = new double[(int) count];
    for (int i = 0; i < count; i++) {
      v[i] = switch (kind + "" + width) {
        case "f8" -> data.getDouble(i * 8);
        case "f4" -> data.getFloat(i * 4);
        case "i8" -> data.getLong(i * 8);
        case "i4" -> data.getInt(i * 4);
        case "u1" -> Byte.toUnsignedInt(data.get(i));
        case "i1" -> data.get(i);
        default -> throw new IOException(source + ": element type " + d.group(2) + d.group(3)
            + " is not read (float64, float32, int64, int32, int8, uint8 are)");
      };
    }
    if (f.group(1).equals("True") && shape.length > 1) {
      v = fortranToC(v, shape);
    }
    return new Array(shape, v);
  }

  private static double[] fortranToC(double[] v, long[] shape) {
    if (shape.length != 2) {
      throw new IllegalArgumentException("Fortran-ordered arrays of " + shape.length + " dimensions are not read");
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    double[] c = new double[v.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        c[i * cols + j] = v[j * rows + i];
      }
    }
    return c;
  }

  /** Writes the arrays as float64 {@code .npy} entries of an uncompressed zip ({@code np.savez}'s layout). */
  public static void write(OutputStream out, Map<String, Array> arrays) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, Array> a : arrays.entrySet()) {
      byte[] npy = npy(a.getValue());
      ZipEntry e = new ZipEntry(a.getKey() + ".npy");
      e.setMethod(ZipEntry.STORED);
      e.setSize(npy.length);
      CRC32 crc = new CRC32();
      crc.update(npy);
      e.setCrc(crc.getValue());
      zip.putNextEntry(e);
      zip.write(npy);
      zip.closeEntry();
    }
    zip.finish();
    zip.flush();
  }

  static byte[] npy(Array a) {
    String[] dims = Arrays.stream(a.shape()).mapToObj(Long::toString).toArray(String[]::new);
    String shape = "(" + String.join(", ", dims) + (dims.length == 1 ? ",)" : ")"); // numpy's (3,) and (2, 3)
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    // Version 1.0: magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, '\n' last.
    int total = 10 + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - total) + "\n";
    ByteBuffer b = ByteBuffer.allocate(padded + a.data().length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    for (double v : a.data()) {
      b.putDouble(v);
    }
    return b.array();
  }

  /** Reads a whole file's bytes (npz files are small: 32 MiB for 2048-d statistics). */
  public static Map<String, Array> read(byte[] file, String source) throws IOException {
    return read(new ByteArrayInputStream(file), source);
  }

  /** The bytes {@link #write} makes. */
  public static byte[] bytes(Map<String, Array> arrays) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, arrays);
    return out.toByteArray();
  }
}
