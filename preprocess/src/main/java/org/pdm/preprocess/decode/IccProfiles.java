package org.pdm.preprocess.decode;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Inflater;
import org.pdm.preprocess.image.RgbImage;

/**
 * Embedded ICC profiles: found in the file (JPEG APP2, PNG iCCP, WebP ICCP), named, recognised as
 * sRGB, and applied (profile to sRGB with the JDK's colour management, LittleCMS).
 */
public final class IccProfiles {
  private static final ICC_Profile SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
  /** Profiles seen in this JVM, by content: most datasets hold a handful of distinct profiles. */
  private static final Map<String, Boolean> IS_SRGB = new ConcurrentHashMap<>();

  private IccProfiles() {}

  /** The embedded profile's bytes, or null when there is none (or it cannot be read). */
  public static byte[] extract(byte[] file, ImageFormat format) {
    try {
      return switch (format) {
        case JPEG -> fromJpeg(file);
        case PNG -> fromPng(file);
        case WEBP -> fromWebp(file);
        default -> null;
      };
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The APP2 ICC_PROFILE segments, in sequence order, joined. */
  static byte[] fromJpeg(byte[] b) {
    ByteArrayOutputStream icc = new ByteArrayOutputStream();
    byte[][] parts = new byte[256][];
    int i = 2;
    while (i + 4 <= b.length && (b[i] & 255) == 0xFF) {
      int marker = b[i + 1] & 255;
      if (marker == 0xDA || marker == 0xD9) {
        break;
      }
      int len = ((b[i + 2] & 255) << 8) | (b[i + 3] & 255);
      if (marker == 0xE2 && len > 16 && i + 2 + len <= b.length
          && new String(b, i + 4, 11, StandardCharsets.US_ASCII).equals("ICC_PROFILE")) {
        int seq = b[i + 16] & 255;
        parts[seq] = Arrays.copyOfRange(b, i + 18, i + 2 + len);
      }
      i += 2 + len;
    }
    for (byte[] p : parts) {
      if (p != null) {
        icc.writeBytes(p);
      }
    }
    return icc.size() > 0 ? icc.toByteArray() : null;
  }

  static byte[] fromPng(byte[] b) {
    int i = 8;
    while (i + 12 <= b.length) {
      int len = ByteBuffer.wrap(b, i, 4).getInt();
      String type = new String(b, i + 4, 4, StandardCharsets.US_ASCII);
      if (type.equals("IDAT") || type.equals("IEND") || len < 0) {
        return null;
      }
      if (type.equals("iCCP")) {
        int p = i + 8;
        int end = p + len;
        while (p < end && b[p] != 0) {
          p++;
        }
        p += 2; // the name's terminator and the compression method
        return inflate(b, p, end - p);
      }
      i += 12 + len;
    }
    return null;
  }

  static byte[] fromWebp(byte[] b) {
    int i = 12;
    while (i + 8 <= b.length) {
      String type = new String(b, i, 4, StandardCharsets.US_ASCII);
      int len = ByteBuffer.wrap(b, i + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (len < 0) {
        return null;
      }
      if (type.equals("ICCP")) {
        return Arrays.copyOfRange(b, i + 8, i + 8 + len);
      }
      i += 8 + len + (len & 1);
    }
    return null;
  }

  private static byte[] inflate(byte[] b, int off, int len) {
    Inflater inf = new Inflater();
    try {
      inf.setInput(b, off, len);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          return null;
        }
        out.write(buf, 0, n);
        if (out.size() > 16 << 20) {
          return null; // no real profile is this large
        }
      }
      return out.toByteArray();
    } catch (java.util.zip.DataFormatException e) {
      return null;
    } finally {
      inf.end();
    }
  }

  /** The profile's description tag ('desc' or v4 'mluc'), or "unnamed ICC profile". */
  public static String describe(ICC_Profile profile) {
    try {
      byte[] d = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
      if (d != null && d.length > 12) {
        String type = new String(d, 0, 4, StandardCharsets.US_ASCII);
        ByteBuffer bb = ByteBuffer.wrap(d);
        if (type.equals("desc")) {
          int n = bb.getInt(8);
          return new String(d, 12, Math.max(0, Math.min(n, d.length - 12)), StandardCharsets.ISO_8859_1)
              .replace("\0", "").trim();
        }
        if (type.equals("mluc") && d.length >= 28) {
          int len = bb.getInt(20);
          int off = bb.getInt(24);
          return new String(d, off, Math.min(len, d.length - off), StandardCharsets.UTF_16BE).replace("\0", "").trim();
        }
      }
    } catch (RuntimeException e) {
      // falls through
    }
    return "unnamed ICC profile";
  }

  /** True when converting with this profile changes no colour by more than one level: sRGB by another name. */
  public static boolean isSrgb(ICC_Profile profile) {
    if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
      return false;
    }
    String key = java.util.HexFormat.of().formatHex(sha1(profile.getData()));
    return IS_SRGB.computeIfAbsent(key, k -> {
      int[] probe = {0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0x808080, 0x3070B0, 0xC08040, 0x20A020};
      int[] converted = toSrgb(new RgbImage(probe.length, 1, probe.clone()), profile).pixels();
      for (int i = 0; i < probe.length; i++) {
        for (int s = 0; s <= 16; s += 8) {
          if (Math.abs(((probe[i] >> s) & 255) - ((converted[i] >> s) & 255)) > 1) {
            return false;
          }
        }
      }
      return true;
    });
  }

  /** The image's samples taken as encoded in {@code profile}, converted to sRGB. */
  public static RgbImage toSrgb(RgbImage img, ICC_Profile profile) {
    int n = img.width() * img.height();
    byte[] in = new byte[n * 3];
    int[] px = img.pixels();
    for (int i = 0, j = 0; i < n; i++, j += 3) {
      in[j] = (byte) (px[i] >> 16);
      in[j + 1] = (byte) (px[i] >> 8);
      in[j + 2] = (byte) px[i];
    }
    int[] offsets = {0, 1, 2};
    WritableRaster src = Raster.createInterleavedRaster(new DataBufferByte(in, in.length), img.width(), img.height(),
        img.width() * 3, 3, offsets, null);
    WritableRaster dst = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, img.width(), img.height(),
        img.width() * 3, 3, offsets, null);
    new ColorConvertOp(new ICC_Profile[] {profile, SRGB}, null).filter(src, dst);
    byte[] out = ((DataBufferByte) dst.getDataBuffer()).getData();
    int[] result = new int[n];
    for (int i = 0, j = 0; i < n; i++, j += 3) {
      result[i] = (out[j] & 255) << 16 | (out[j + 1] & 255) << 8 | (out[j + 2] & 255);
    }
    return new RgbImage(img.width(), img.height(), result);
  }

  /** An ICC colour space for a profile (null when the JDK refuses it). */
  public static ICC_ColorSpace colorSpace(ICC_Profile p) {
    try {
      return new ICC_ColorSpace(p);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static byte[] sha1(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-1").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
