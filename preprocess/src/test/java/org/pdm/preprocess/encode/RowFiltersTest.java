package org.pdm.preprocess.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowFiltersTest {
  @Test
  void theTestJvmUsesTheSimdSums() {
    // The poms' test flags add jdk.incubator.vector, as bin/pdm does: the SIMD path is what runs.
    assertTrue(RowFilters.VECTOR, "jdk.incubator.vector is not in the test JVM (pdm.test.flags adds it)");
  }

  @Test
  void simdSumsAndRowsAreTheScalarOnesOnEveryRowLengthAndContent() {
    Random r = new Random(11);
    for (int trial = 0; trial < 3000; trial++) {
      // Lengths around the lane counts and past the 255-step fold (a 2048-pixel row is 6144 bytes).
      int n = 3 * (trial < 2000 ? 1 + r.nextInt(80) : 1 + r.nextInt(6000));
      byte[] prev = new byte[n];
      byte[] cur = new byte[n];
      int kind = trial % 5;
      for (int i = 0; i < n; i++) {
        prev[i] = (byte) (kind == 0 ? i * 3 : r.nextInt(256));
        cur[i] = (byte) switch (kind) {
          case 0 -> i * 3 + r.nextInt(3);
          case 1 -> r.nextInt(256);
          case 2 -> prev[i] + r.nextInt(5) - 2;
          case 3 -> (r.nextBoolean() ? 0 : 255); // largest residuals: |(byte) r| = 128 and wrap-around
          default -> ((prev[i] & 255) + (i >= 3 ? prev[i - 3] & 255 : 0)) / 2 + r.nextInt(3);
        };
      }
      long[] scalar = new long[5];
      long[] simd = new long[5];
      RowFilters.scalarSums(cur, prev, scalar);
      VectorRowFilters.sums(cur, prev, simd);
      assertArrayEquals(scalar, simd, "trial " + trial + ", " + n + " bytes");
      for (int f = 1; f < 5; f++) {
        byte[] expected = new byte[n + 1];
        byte[] actual = new byte[n + 1];
        RowFilters.scalarWrite(f, cur, prev, expected);
        VectorRowFilters.write(f, cur, prev, actual);
        assertArrayEquals(expected, actual, "filter " + f + ", trial " + trial + ", " + n + " bytes");
      }
    }
  }

  @Test
  void aWholeImageRowOfExtremesCostsTheSameBothWays() {
    // 6144 bytes of 128-cost residuals: the most a 16-bit lane ever holds before a fold.
    int n = 6144;
    byte[] prev = new byte[n];
    byte[] cur = new byte[n];
    for (int i = 0; i < n; i++) {
      cur[i] = (byte) ((i / 3) % 2 == 0 ? 128 : 0);
      prev[i] = (byte) ((i / 3) % 2 == 0 ? 0 : 128);
    }
    long[] scalar = new long[5];
    long[] simd = new long[5];
    RowFilters.scalarSums(cur, prev, scalar);
    VectorRowFilters.sums(cur, prev, simd);
    assertArrayEquals(scalar, simd);
    assertTrue(scalar[2] == 128L * n, "every up residual costs 128: " + scalar[2]);
  }

  @Test
  void aJvmWithoutTheVectorModuleWritesTheSamePng() throws Exception {
    // Spark executors started without --add-modules: the scalar loops, the same bytes.
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        ScalarFallbackMain.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> lines = out.lines().toList();
    assertEquals(List.of("false", ScalarFallbackMain.pngSha256()), lines.subList(lines.size() - 2, lines.size()), out);
  }
}
