package org.pdm.ingest.download;

/**
 * What the first bytes of a file say, without decoding the image: the format from its magic
 * number (never from a Content-Type), the width and height from its header, and whether the end
 * of the file is there (a JPEG's EOI marker, a PNG's IEND chunk, a RIFF or BMP's stated length).
 *
 * @param format jpeg, png, webp, gif, bmp or tiff
 */
public record ImageHeader(String format, int width, int height) {
  /** Why bytes were not taken as an image. */
  public static final class Invalid extends Exception {
    public final String reason;

    Invalid(String reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }

  public static ImageHeader inspect(byte[] b) throws Invalid {
    int n = b.length;
    if (n >= 3 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
      return jpeg(b);
    }
    if (n >= 8 && u8(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && u8(b, 4) == 0x0D
        && u8(b, 5) == 0x0A && u8(b, 6) == 0x1A && u8(b, 7) == 0x0A) {
      return png(b);
    }
    if (n >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8' && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
      need(b, 10, "gif");
      return checked("gif", u16le(b, 6), u16le(b, 8));
    }
    if (n >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
        && b[10] == 'B' && b[11] == 'P') {
      return webp(b);
    }
    if (n >= 2 && b[0] == 'B' && b[1] == 'M') {
      return bmp(b);
    }
    if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
      return tiff(b, b[0] == 'I');
    }
    throw new Invalid("not-image", n == 0 ? "empty body" : "no image magic number; starts with " + preview(b));
  }

  private static ImageHeader jpeg(byte[] b) throws Invalid {
    int n = b.length;
    int i = 2;
    ImageHeader found = null;
    while (found == null) {
      need(b, i + 4, "jpeg");
      if (u8(b, i) != 0xFF) {
        throw new Invalid("not-image", "jpeg: no marker at byte " + i);
      }
      int marker = u8(b, i + 1);
      if (marker == 0xFF) {
        i++; // fill byte
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        i += 2;
        continue;
      }
      if (marker == 0xD9 || marker == 0xDA) {
        throw new Invalid("not-image", "jpeg: no frame header before the image data");
      }
      int len = u16be(b, i + 2);
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
        need(b, i + 9, "jpeg");
        found = checked("jpeg", u16be(b, i + 7), u16be(b, i + 5));
      }
      i += 2 + len;
    }
    // FF D9 cannot occur in entropy-coded data (FF is always stuffed), so it marks the end.
    for (int j = n - 2; j >= Math.max(0, n - 4096); j--) {
      if (u8(b, j) == 0xFF && u8(b, j + 1) == 0xD9) {
        return found;
      }
    }
    throw new Invalid("truncated", "jpeg: no end-of-image marker in " + n + " bytes");
  }

  private static ImageHeader png(byte[] b) throws Invalid {
    need(b, 24, "png");
    if (!(b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R')) {
      throw new Invalid("not-image", "png: first chunk is not IHDR");
    }
    ImageHeader h = checked("png", (int) u32be(b, 16), (int) u32be(b, 20));
    int n = b.length;
    for (int j = n - 8; j >= Math.max(0, n - 256); j--) {
      if (b[j] == 'I' && b[j + 1] == 'E' && b[j + 2] == 'N' && b[j + 3] == 'D') {
        return h;
      }
    }
    throw new Invalid("truncated", "png: no IEND chunk in " + n + " bytes");
  }

  private static ImageHeader webp(byte[] b) throws Invalid {
    long riff = u32le(b, 4) + 8;
    if (b.length < riff) {
      throw new Invalid("truncated", "webp: " + b.length + " of " + riff + " bytes");
    }
    need(b, 30, "webp");
    String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    return switch (chunk) {
      case "VP8 " -> checked("webp", u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF);
      case "VP8L" -> checked("webp", 1 + (((u8(b, 22) & 0x3F) << 8) | u8(b, 21)),
          1 + (((u8(b, 24) & 0x0F) << 10) | (u8(b, 23) << 2) | ((u8(b, 22) & 0xC0) >> 6)));
      case "VP8X" -> checked("webp", 1 + (u8(b, 24) | (u8(b, 25) << 8) | (u8(b, 26) << 16)),
          1 + (u8(b, 27) | (u8(b, 28) << 8) | (u8(b, 29) << 16)));
      default -> throw new Invalid("not-image", "webp: unknown chunk " + chunk);
    };
  }

  private static ImageHeader bmp(byte[] b) throws Invalid {
    need(b, 26, "bmp");
    long size = u32le(b, 2);
    if (size > b.length) {
      throw new Invalid("truncated", "bmp: " + b.length + " of " + size + " bytes");
    }
    long dib = u32le(b, 14);
    if (dib == 12) {
      return checked("bmp", u16le(b, 18), u16le(b, 20));
    }
    if (dib < 40) {
      throw new Invalid("not-image", "bmp: header of " + dib + " bytes");
    }
    return checked("bmp", (int) u32le(b, 18), Math.abs((int) u32le(b, 22)));
  }

  private static ImageHeader tiff(byte[] b, boolean le) throws Invalid {
    need(b, 8, "tiff");
    long ifd = le ? u32le(b, 4) : u32be(b, 4);
    if (ifd + 2 > b.length) {
      throw new Invalid("truncated", "tiff: directory at " + ifd + " past " + b.length + " bytes");
    }
    int count = le ? u16le(b, (int) ifd) : u16be(b, (int) ifd);
    int width = -1;
    int height = -1;
    for (int k = 0; k < count; k++) {
      int e = (int) ifd + 2 + 12 * k;
      need(b, e + 12, "tiff");
      int tag = le ? u16le(b, e) : u16be(b, e);
      int type = le ? u16le(b, e + 2) : u16be(b, e + 2);
      int value = type == 3 ? (le ? u16le(b, e + 8) : u16be(b, e + 8)) : (int) (le ? u32le(b, e + 8) : u32be(b, e + 8));
      if (tag == 256) {
        width = value;
      } else if (tag == 257) {
        height = value;
      }
    }
    return checked("tiff", width, height);
  }

  private static ImageHeader checked(String format, int width, int height) throws Invalid {
    if (width <= 0 || height <= 0) {
      throw new Invalid("not-image", format + ": header states " + width + "x" + height);
    }
    return new ImageHeader(format, width, height);
  }

  private static void need(byte[] b, int n, String format) throws Invalid {
    if (b.length < n) {
      throw new Invalid("truncated", format + ": header cut at " + b.length + " bytes");
    }
  }

  private static String preview(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(8, b.length); i++) {
      int c = u8(b, i);
      s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return "\"" + s + "\"";
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xFF;
  }

  private static int u16be(byte[] b, int i) {
    return (u8(b, i) << 8) | u8(b, i + 1);
  }

  private static int u16le(byte[] b, int i) {
    return u8(b, i) | (u8(b, i + 1) << 8);
  }

  private static long u32be(byte[] b, int i) {
    return ((long) u8(b, i) << 24) | (u8(b, i + 1) << 16) | (u8(b, i + 2) << 8) | u8(b, i + 3);
  }

  private static long u32le(byte[] b, int i) {
    return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16) | ((long) u8(b, i + 3) << 24);
  }
}
