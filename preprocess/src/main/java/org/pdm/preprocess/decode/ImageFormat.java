package org.pdm.preprocess.decode;

/** The container format, from the first bytes (never from a file name or a Content-Type). */
public enum ImageFormat {
  JPEG, PNG, WEBP, GIF, BMP, TIFF, UNKNOWN;

  public String id() {
    return name().toLowerCase();
  }

  public static ImageFormat sniff(byte[] b) {
    if (b.length >= 3 && (b[0] & 255) == 0xFF && (b[1] & 255) == 0xD8 && (b[2] & 255) == 0xFF) {
      return JPEG;
    }
    if (b.length >= 8 && (b[0] & 255) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return PNG;
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return WEBP;
    }
    if (b.length >= 4 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
      return GIF;
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return BMP;
    }
    if (b.length >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
        || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
      return TIFF;
    }
    return UNKNOWN;
  }

  /** A guess at what an unsupported file is, for the reject's details. */
  public static String describeUnknown(byte[] b) {
    if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
      return "an ISO media file (" + new String(b, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).trim()
          + ": HEIC/AVIF are not decoded)";
    }
    if (b.length == 0) {
      return "an empty file";
    }
    return "not a JPEG, PNG, WebP, GIF, BMP or TIFF file";
  }
}
