package org.pdm.preprocess.encode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.pdm.core.schema.DatasetSchema;
import org.pdm.preprocess.image.RgbImage;
import org.pdm.preprocess.natives.NativeCodecs;

/**
 * Encodes output pictures: PNG (lossless), JPEG with a quality (4:2:0, baseline, the JDK's libjpeg
 * writer), or raw pixels (lossless, uint8 HWC RGB, {@link DatasetSchema#RAW}: the Parquet column's
 * ZSTD page compression does the compressing). WebP is not offered: no WebP encoder exists for the JVM without native code
 * (TwelveMonkeys decodes WebP only).
 *
 * @param format png, jpeg or raw
 * @param pngLevel zlib level 0..9 for PNG
 * @param jpegQuality 0..1 for JPEG
 * @param nativeMode auto (PNG's deflate by libdeflate when it loads) or off (the JDK's zlib)
 */
public record OutputEncoder(String format, int pngLevel, float jpegQuality, String nativeMode) implements Serializable {
  /** Pure JDK. */
  public OutputEncoder(String format, int pngLevel, float jpegQuality) {
    this(format, pngLevel, jpegQuality, "off");
  }

  public byte[] encode(RgbImage img) throws IOException {
    if (format.equals("png")) {
      return PngEncoder.encode(img, pngLevel, NativeCodecs.forMode(nativeMode).deflate());
    }
    if (format.equals(DatasetSchema.RAW)) {
      return raw(img);
    }
    ImageWriter writer = null;
    for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
      ImageWriter w = it.next();
      if (writer == null || w.getClass().getName().startsWith("com.sun")) {
        writer = w; // the JDK's own writer: TwelveMonkeys' delegates to it anyway
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.width() * img.height() / 4);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(jpegQuality);
      writer.setOutput(out);
      writer.write(null, new IIOImage(img.toBufferedImage(), null, null), p);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** The pixels as {@code height * width * 3} bytes, row-major, R G B per pixel. */
  public static byte[] raw(RgbImage img) {
    int[] px = img.pixels();
    byte[] out = new byte[px.length * 3];
    for (int i = 0, o = 0; i < px.length; i++, o += 3) {
      int p = px[i];
      out[o] = (byte) (p >> 16);
      out[o + 1] = (byte) (p >> 8);
      out[o + 2] = (byte) p;
    }
    return out;
  }
}
