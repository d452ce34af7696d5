package org.pdm.preprocess.encode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.pdm.preprocess.image.RgbImage;

/**
 * Encodes output pictures: PNG (lossless, the default) or JPEG with a quality (4:2:0, baseline, the
 * JDK's libjpeg writer). WebP is not offered: no WebP encoder exists for the JVM without native code
 * (TwelveMonkeys decodes WebP only).
 *
 * @param format png or jpeg
 * @param pngLevel zlib level 0..9 for PNG
 * @param jpegQuality 0..1 for JPEG
 */
public record OutputEncoder(String format, int pngLevel, float jpegQuality) implements Serializable {
  public byte[] encode(RgbImage img) throws IOException {
    if (format.equals("png")) {
      return PngEncoder.encode(img, pngLevel);
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
}
