package org.pdm.preprocess;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small ICC v2 matrix/TRC display profiles for tests: Display P3 (sRGB curve, P3 primaries)
 * and Adobe RGB (1998) (gamma 563/256, Adobe primaries). Colorants are the D50-adapted values of
 * Apple's and Adobe's published profiles.
 */
public final class TestIcc {
  private TestIcc() {}

  public static byte[] displayP3() {
    return matrixProfile("Display P3 (test)",
        new double[][] {{0.515121, 0.241196, -0.001053}, {0.291977, 0.692245, 0.041885}, {0.157104, 0.066574, 0.784073}},
        null);
  }

  public static byte[] adobeRgb() {
    return matrixProfile("Adobe RGB (1998) (test)",
        new double[][] {{0.60974, 0.31111, 0.01947}, {0.20528, 0.62567, 0.06087}, {0.14919, 0.06322, 0.74457}},
        563.0 / 256);
  }

  /** @param gamma null for the sRGB curve */
  static byte[] matrixProfile(String name, double[][] rgbXyz, Double gamma) {
    List<String> sigs = new ArrayList<>();
    List<byte[]> data = new ArrayList<>();
    sigs.add("desc");
    data.add(desc(name));
    sigs.add("wtpt");
    data.add(xyz(0.9642, 1.0, 0.8249));
    String[] col = {"rXYZ", "gXYZ", "bXYZ"};
    for (int i = 0; i < 3; i++) {
      sigs.add(col[i]);
      data.add(xyz(rgbXyz[i][0], rgbXyz[i][1], rgbXyz[i][2]));
    }
    byte[] curve = gamma != null ? gammaCurve(gamma) : srgbCurve();
    for (String t : new String[] {"rTRC", "gTRC", "bTRC"}) {
      sigs.add(t);
      data.add(curve);
    }
    sigs.add("cprt");
    data.add(text("no copyright, test data"));
    int n = sigs.size();
    int offset = 128 + 4 + 12 * n;
    ByteBuffer table = ByteBuffer.allocate(4 + 12 * n);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    table.putInt(n);
    for (int i = 0; i < n; i++) {
      byte[] d = data.get(i);
      table.put(sigs.get(i).getBytes(StandardCharsets.US_ASCII)).putInt(offset + body.size()).putInt(d.length);
      body.writeBytes(d);
      while (body.size() % 4 != 0) {
        body.write(0);
      }
    }
    int size = offset + body.size();
    ByteBuffer h = ByteBuffer.allocate(128);
    h.putInt(size).putInt(0).putInt(0x02100000).put(ascii("mntr")).put(ascii("RGB ")).put(ascii("XYZ "));
    h.putShort((short) 2020).putShort((short) 1).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
    h.put(ascii("acsp"));
    h.position(68);
    h.putInt(s15(0.9642)).putInt(s15(1.0)).putInt(s15(0.8249));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(h.array());
    all.writeBytes(table.array());
    all.writeBytes(body.toByteArray());
    return all.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int s15(double v) {
    return (int) Math.round(v * 65536);
  }

  private static byte[] xyz(double x, double y, double z) {
    return ByteBuffer.allocate(20).put(ascii("XYZ ")).putInt(0).putInt(s15(x)).putInt(s15(y)).putInt(s15(z)).array();
  }

  private static byte[] gammaCurve(double gamma) {
    return ByteBuffer.allocate(14).put(ascii("curv")).putInt(0).putInt(1).putShort((short) Math.round(gamma * 256)).array();
  }

  private static byte[] srgbCurve() {
    int n = 1024;
    ByteBuffer b = ByteBuffer.allocate(12 + 2 * n).put(ascii("curv")).putInt(0).putInt(n);
    for (int i = 0; i < n; i++) {
      double v = i / (double) (n - 1);
      double lin = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      b.putShort((short) Math.round(lin * 65535));
    }
    return b.array();
  }

  private static byte[] desc(String s) {
    byte[] a = ascii(s);
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + a.length + 1 + 4 + 4 + 2 + 1 + 67);
    b.put(ascii("desc")).putInt(0).putInt(a.length + 1).put(a).put((byte) 0);
    return b.array(); // unicode and scriptcode parts are zero
  }

  private static byte[] text(String s) {
    byte[] a = ascii(s);
    return ByteBuffer.allocate(8 + a.length + 1).put(ascii("text")).putInt(0).put(a).array();
  }
}
