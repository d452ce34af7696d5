package org.pdm.preprocess.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdm.preprocess.TestImages;
import org.pdm.preprocess.image.RgbImage;

class OrientationTest {
  /** Decoding a region of the upright picture gives exactly that region of the whole upright picture. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void regionDecodingMatchesCroppingTheUprightImage(int orientation) throws Exception {
    byte[] png = TestImages.write(TestImages.photoLike(60, 40, orientation), "png");
    // PNG cannot carry EXIF in our helper, so the probe's orientation is set directly.
    ImageDecoder decoder = new ImageDecoder(1_000_000);
    ImageDecoder.Probe plain = decoder.probe(png);
    ImageDecoder.Probe p = new ImageDecoder.Probe(plain.format(), 60, 40, orientation, null, 0);
    RgbImage whole = decoder.decode(png, p).image();
    int w = p.width();
    int h = p.height();
    assertEquals(orientation >= 5 ? 40 : 60, w);
    RgbImage region = decoder.decode(png, p, 3, 5, w - 10, h - 12, 1).image();
    assertArrayEquals(whole.crop(3, 5, w - 10, h - 12).pixels(), region.pixels());
  }
}
