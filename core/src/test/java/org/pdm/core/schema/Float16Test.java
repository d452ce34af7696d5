package org.pdm.core.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Float16Test {
  @Test
  void matchesNumpyOnKnownValues() {
    // np.float32(v).astype(np.float16).view(np.uint16) for each v, checked with numpy
    float[] v = {0f, -0f, 1f, -2f, 0.1f, 65504f, 65520f, 1e-8f, 6.1e-5f, 5.96e-8f, 2.9e-8f, 3.0e-8f, 1.0009765625f, 1.00048828125f};
    int[] bits = {0x0000, 0x8000, 0x3c00, 0xc000, 0x2e66, 0x7bff, 0x7c00, 0x0000, 0x03ff, 0x0001, 0x0000, 0x0001, 0x3c01, 0x3c00};
    for (int i = 0; i < v.length; i++) {
      assertEquals(bits[i], Float16.fromFloat(v[i]) & 0xffff, "value " + v[i]);
    }
    assertEquals(0.0999755859375f, Float16.toFloat((short) 0x2e66));
    assertEquals(5.9604645e-8f, Float16.toFloat((short) 0x0001));
    assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xfc00));
  }

  @Test
  void everyHalfRoundTrips() {
    for (int h = 0; h < 0x10000; h++) {
      float f = Float16.toFloat((short) h);
      if (!Float.isNaN(f)) {
        assertEquals(h, Float16.fromFloat(f) & 0xffff, "bits " + Integer.toHexString(h));
      }
    }
  }
}
