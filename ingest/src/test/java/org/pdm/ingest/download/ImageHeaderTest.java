package org.pdm.ingest.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageHeaderTest {
  private static byte[] encode(String format, int w, int h) throws Exception {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 1, 0xff8800);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, format, out);
    return out.toByteArray();
  }

  @Test
  void readsSizesFromHeadersWithoutDecoding() throws Exception {
    assertEquals(new ImageHeader("jpeg", 123, 45), ImageHeader.inspect(encode("jpeg", 123, 45)));
    assertEquals(new ImageHeader("png", 77, 300), ImageHeader.inspect(encode("png", 77, 300)));
    assertEquals(new ImageHeader("gif", 20, 10), ImageHeader.inspect(encode("gif", 20, 10)));
    assertEquals(new ImageHeader("bmp", 31, 17), ImageHeader.inspect(encode("bmp", 31, 17)));
    assertEquals(new ImageHeader("tiff", 40, 30), ImageHeader.inspect(encode("tiff", 40, 30)));
  }

  @Test
  void readsWebpVariants() throws Exception {
    byte[] vp8x = new byte[40];
    System.arraycopy("RIFF".getBytes(StandardCharsets.US_ASCII), 0, vp8x, 0, 4);
    vp8x[4] = 32; // RIFF size: 40 - 8
    System.arraycopy("WEBPVP8X".getBytes(StandardCharsets.US_ASCII), 0, vp8x, 8, 8);
    vp8x[24] = (byte) (1999 & 0xFF);
    vp8x[25] = (byte) (1999 >> 8);
    vp8x[27] = (byte) (999 & 0xFF);
    vp8x[28] = (byte) (999 >> 8);
    assertEquals(new ImageHeader("webp", 2000, 1000), ImageHeader.inspect(vp8x));
  }

  @Test
  void refusesWhatIsNotAnImage() {
    ImageHeader.Invalid html = assertThrows(ImageHeader.Invalid.class,
        () -> ImageHeader.inspect("<html>hello</html>".getBytes(StandardCharsets.UTF_8)));
    assertEquals("not-image", html.reason);
    assertEquals("not-image", assertThrows(ImageHeader.Invalid.class, () -> ImageHeader.inspect(new byte[0])).reason);
  }

  @Test
  void detectsTruncatedFiles() throws Exception {
    byte[] jpeg = encode("jpeg", 64, 64);
    assertEquals("truncated", assertThrows(ImageHeader.Invalid.class,
        () -> ImageHeader.inspect(Arrays.copyOf(jpeg, jpeg.length - 10))).reason);
    byte[] png = encode("png", 64, 64);
    assertEquals("truncated", assertThrows(ImageHeader.Invalid.class,
        () -> ImageHeader.inspect(Arrays.copyOf(png, png.length - 12))).reason);
    assertEquals("truncated", assertThrows(ImageHeader.Invalid.class,
        () -> ImageHeader.inspect(Arrays.copyOf(png, 20))).reason);
  }
}
