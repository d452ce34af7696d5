package org.pdm.latentcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {
  /** A fake device: "encodes" image i to its first value; fails on batches above 2 and on the value 13. */
  private static float[][][] fake(float[] x, int n) {
    if (n > 2) {
      throw new IllegalStateException("CUDA out of memory (fake)");
    }
    float[] mean = new float[n];
    for (int i = 0; i < n; i++) {
      if (x[i * 2] == 13f) {
        throw new IllegalStateException("bad image");
      }
      mean[i] = x[i * 2];
    }
    return new float[][][] {{mean, null}};
  }

  @Test
  void splitsAFailingBatchInHalvesAndRejectsOnlyTheImageThatFailsAlone() {
    BatchEncoder enc = new BatchEncoder(BatchEncoderTest::fake, 2);
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      images.add(new float[] {i == 5 ? 13f : i, 0});
    }
    List<BatchEncoder.Result> out = enc.encode(images);
    assertEquals(8, out.size());
    for (int i = 0; i < 8; i++) {
      if (i == 5) {
        assertNull(out.get(i).latents());
        assertEquals("bad image", out.get(i).error());
      } else {
        assertNotNull(out.get(i).latents(), "image " + i);
        assertEquals(i, out.get(i).latents()[0][0][0]);
      }
    }
    // 8 -> 4+4 -> 2+2+2+2, then the pair holding image 5 -> 1+1.
    assertEquals(4, enc.retries());
  }

  @Test
  void anEmptyBatchCallsNothing() {
    BatchEncoder enc = new BatchEncoder((x, n) -> {
      throw new AssertionError("called");
    }, 2);
    assertEquals(0, enc.encode(List.of()).size());
  }
}
