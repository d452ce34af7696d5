package org.pdm.preprocess;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Images made for the tests, in every format, encoded in memory. */
public final class TestImages {
  private TestImages() {}

  /** A landscape-ish test picture: four coloured quadrants, a gradient band, fine detail. */
  public static BufferedImage quadrants(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean left = x < w / 2;
        boolean top = y < h / 2;
        int rgb = top ? (left ? 0xD02020 : 0x20B040) : (left ? 0x2040D0 : 0xE0C030);
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  /**
   * A smooth colourful picture with some texture, for colour-management, sharpness and dedupe tests.
   * The seed picks the gradients' directions and the waves' frequency; the pattern is drawn in
   * coordinates relative to the size, so the same seed at two sizes gives the same picture.
   */
  public static BufferedImage photoLike(int w, int h, long seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.util.Random r = new java.util.Random(seed);
    boolean flipX = (seed & 1) != 0;
    boolean flipY = (seed & 2) != 0;
    double freq = 2 + (seed % 5) * 1.5;
    double angle = (seed % 7) * 0.45;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = flipX ? 1 - x / (double) w : x / (double) w;
        double v = flipY ? 1 - y / (double) h : y / (double) h;
        int red = (int) (40 + 180 * u);
        int green = (int) (60 + 150 * v);
        int blue = (int) (128 + 100 * Math.sin(2 * Math.PI * freq * (u * Math.cos(angle) + v * Math.sin(angle))));
        int n = r.nextInt(31) - 15;
        img.setRGB(x, y, (clamp(red + n) << 16) | (clamp(green + n) << 8) | clamp(blue + n));
      }
    }
    return img;
  }

  static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  public static byte[] write(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, out)) {
      throw new IOException("no writer for " + format + " and " + img);
    }
    return out.toByteArray();
  }

  public static byte[] jpeg(BufferedImage img, float quality, boolean progressive) throws IOException {
    ImageWriter writer = null;
    for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
      ImageWriter w = it.next();
      if (w.getClass().getName().startsWith("com.sun")) {
        writer = w;
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality);
      if (progressive) {
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /**
   * A CMYK JPEG as Photoshop writes them (Adobe APP14 marker, inverted samples): written by the JDK's
   * writer from a 4-band raster.
   */
  public static byte[] cmykJpeg(BufferedImage rgb) throws IOException {
    return adobeJpeg(rgb, false);
  }

  /**
   * A YCCK JPEG as Photoshop writes them (Adobe APP14 transform 2): the C, M, Y values stored as
   * YCbCr (libjpeg turns them back with {@code C = 255 - R}, giving Adobe's inverted CMY), K inverted.
   */
  public static byte[] ycckJpeg(BufferedImage rgb) throws IOException {
    return adobeJpeg(rgb, true);
  }

  private static byte[] adobeJpeg(BufferedImage rgb, boolean ycck) throws IOException {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    int[] px = new int[4];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = rgb.getRGB(x, y);
        double r = ((v >> 16) & 255) / 255.0;
        double g = ((v >> 8) & 255) / 255.0;
        double b = (v & 255) / 255.0;
        double k = 1 - Math.max(r, Math.max(g, b));
        double c = k >= 1 ? 0 : (1 - r - k) / (1 - k);
        double m = k >= 1 ? 0 : (1 - g - k) / (1 - k);
        double yy = k >= 1 ? 0 : (1 - b - k) / (1 - k);
        px[0] = 255 - (int) Math.round(c * 255); // Adobe stores CMYK inverted
        px[1] = 255 - (int) Math.round(m * 255);
        px[2] = 255 - (int) Math.round(yy * 255);
        px[3] = 255 - (int) Math.round(k * 255);
        if (ycck) {
          // JFIF's RGB to YCbCr on (C, M, Y) = 255 - inverted values.
          double cr = 255 - px[0];
          double cg = 255 - px[1];
          double cb = 255 - px[2];
          px[0] = clamp((int) Math.round(0.299 * cr + 0.587 * cg + 0.114 * cb));
          px[1] = clamp((int) Math.round(128 - 0.168736 * cr - 0.331264 * cg + 0.5 * cb));
          px[2] = clamp((int) Math.round(128 + 0.5 * cr - 0.418688 * cg - 0.081312 * cb));
        }
        raster.setPixel(x, y, px);
      }
    }
    ImageWriter writer = null;
    for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
      ImageWriter wr = it.next();
      if (wr.getClass().getName().startsWith("com.sun")) {
        writer = wr;
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(0.95f);
      writer.setOutput(out);
      writer.write(null, new IIOImage(raster, null, null), p);
    } finally {
      writer.dispose();
    }
    // The JDK writes no colour marker for a 4-band raster: add Adobe's APP14 (transform 0 = CMYK, 2 = YCCK).
    ByteBuffer adobe = ByteBuffer.allocate(16);
    adobe.put((byte) 0xFF).put((byte) 0xEE).putShort((short) 14).put("Adobe".getBytes(StandardCharsets.US_ASCII))
        .putShort((short) 100).putShort((short) 0).putShort((short) 0).put((byte) (ycck ? 2 : 0));
    return insertAfterSoi(bytes.toByteArray(), adobe.array());
  }

  /** A 16-bit-per-sample RGB (or RGBA) PNG whose samples are {@code value8 * 257 + offset}. */
  public static BufferedImage rgb16(int w, int h, boolean alpha, java.util.function.IntBinaryOperator rgb8) {
    ColorSpace cs = ColorSpace.getInstance(ColorSpace.CS_sRGB);
    int bands = alpha ? 4 : 3;
    ComponentColorModel cm = new ComponentColorModel(cs, alpha, false,
        alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
    int[] px = new int[bands];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = rgb8.applyAsInt(x, y);
        px[0] = ((v >> 16) & 255) * 257;
        px[1] = ((v >> 8) & 255) * 257;
        px[2] = (v & 255) * 257;
        if (alpha) {
          px[3] = ((v >>> 24) & 255) * 257;
        }
        raster.setPixel(x, y, px);
      }
    }
    return new BufferedImage(cm, raster, false, null);
  }

  /** A palette image with one transparent entry (index 0), the rest of the palette opaque. */
  public static BufferedImage palette(int w, int h) {
    byte[] r = {0, (byte) 200, 20, 30};
    byte[] g = {0, 30, (byte) 180, 40};
    byte[] b = {0, 30, 40, (byte) 220};
    IndexColorModel cm = new IndexColorModel(2, 4, r, g, b, 0);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
    WritableRaster raster = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setSample(x, y, 0, x < w / 4 ? 0 : 1 + (x * 3 / w) % 3);
      }
    }
    return img;
  }

  public static BufferedImage grey(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x * 255) / Math.max(1, w - 1));
      }
    }
    return img;
  }

  /** ARGB with a left half fully transparent (must come out white) and a right half opaque red. */
  public static BufferedImage halfTransparent(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(255, 0, 0, 255));
    g.fillRect(w / 2, 0, w - w / 2, h);
    g.dispose();
    return img;
  }

  /** Inserts an APP2 ICC_PROFILE segment right after SOI. */
  public static byte[] jpegWithIcc(byte[] jpeg, byte[] icc) {
    ByteBuffer seg = ByteBuffer.allocate(2 + 2 + 12 + 2 + icc.length);
    seg.put((byte) 0xFF).put((byte) 0xE2).putShort((short) (2 + 12 + 2 + icc.length));
    seg.put("ICC_PROFILE".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 1).put((byte) 1).put(icc);
    return insertAfterSoi(jpeg, seg.array());
  }

  /** Inserts an APP1 Exif segment with IFD0 holding only the orientation tag. */
  public static byte[] jpegWithOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4); // big-endian "MM"
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    tiff.putShort((short) 1);
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0);
    byte[] t = tiff.array();
    ByteBuffer seg = ByteBuffer.allocate(4 + 6 + t.length);
    seg.put((byte) 0xFF).put((byte) 0xE1).putShort((short) (2 + 6 + t.length));
    seg.put("Exif".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0).put(t);
    return insertAfterSoi(jpeg, seg.array());
  }

  private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(segment, 0, out, 2, segment.length);
    System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
    return out;
  }

  /** Inserts an iCCP chunk right after IHDR. */
  public static byte[] pngWithIcc(byte[] png, byte[] icc) throws IOException {
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9))) {
      d.write(icc);
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes("test profile".getBytes(StandardCharsets.ISO_8859_1));
    data.write(0);
    data.write(0);
    data.writeBytes(z.toByteArray());
    return insertPngChunk(png, "iCCP", data.toByteArray());
  }

  /** A PNG that claims {@code w x h} in its header but holds almost no data: a decompression bomb. */
  public static byte[] pngBombHeader(int w, int h) throws IOException {
    byte[] small = write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png");
    ByteBuffer b = ByteBuffer.wrap(small);
    b.putInt(16, w).putInt(20, h); // IHDR width and height
    CRC32 crc = new CRC32();
    crc.update(small, 12, 17);
    b.putInt(29, (int) crc.getValue());
    return small;
  }

  static byte[] insertPngChunk(byte[] png, String type, byte[] data) {
    int at = 8 + 8 + 13 + 4; // signature, IHDR
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
    chunk.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    byte[] out = new byte[png.length + chunk.capacity()];
    System.arraycopy(png, 0, out, 0, at);
    System.arraycopy(chunk.array(), 0, out, at, chunk.capacity());
    System.arraycopy(png, at, out, at + chunk.capacity(), png.length - at);
    return out;
  }

  /** The sRGB picture's colours expressed in another RGB profile (the pixels a P3 camera would store). */
  public static BufferedImage toProfile(BufferedImage srgb, byte[] icc) {
    java.awt.color.ICC_ColorSpace cs = new java.awt.color.ICC_ColorSpace(java.awt.color.ICC_Profile.getInstance(icc));
    int w = srgb.getWidth();
    int h = srgb.getHeight();
    BufferedImage in = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    in.getGraphics().drawImage(srgb, 0, 0, null);
    WritableRaster out = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 3, null);
    new java.awt.image.ColorConvertOp(new java.awt.color.ICC_Profile[] {
        java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB), cs.getProfile()}, null)
        .filter(in.getRaster(), out);
    // The converted samples, labelled sRGB so that writers store them as they are (the profile is
    // embedded separately by pngWithIcc / jpegWithIcc). Raster band order of 3BYTE_BGR is R, G, B.
    BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] px = new int[3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out.getPixel(x, y, px);
        result.setRGB(x, y, px[0] << 16 | px[1] << 8 | px[2]);
      }
    }
    return result;
  }

  /** An animated GIF: one frame per colour, each w x h. */
  public static byte[] animatedGif(int w, int h, int... colours) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.prepareWriteSequence(null);
      for (int c : colours) {
        BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        g.setColor(new Color(c));
        g.fillRect(0, 0, w, h);
        g.dispose();
        writer.writeToSequence(new IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
