package org.pdm.preprocess.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PngEncoderTest {
  private static int paethReference(int a, int b, int d) {
    int pa = Math.abs(b - d);
    int pb = Math.abs(a - d);
    int pc = Math.abs(a + b - 2 * d);
    return pa <= pb && pa <= pc ? a : (pb <= pc ? b : d);
  }

  @Test
  void branchFreePaethIsPaethForEveryNeighbourhood() {
    for (int a = 0; a < 256; a += 3) {
      for (int b = 0; b < 256; b++) {
        for (int d = 0; d < 256; d += 5) {
          org.junit.jupiter.api.Assertions.assertEquals(paethReference(a, b, d), PngEncoder.paeth(a, b, d), a + "," + b + "," + d);
        }
      }
    }
  }

  /** The straightforward filter choice the encoder had before (libpng's heuristic), kept as the reference. */
  private static byte[] reference(byte[] cur, byte[] prev) {
    int n = cur.length;
    long[] cost = new long[5];
    for (int i = 0; i < n; i++) {
      int x = cur[i] & 255;
      int a = i >= 3 ? cur[i - 3] & 255 : 0;
      int b = prev[i] & 255;
      int d = i >= 3 ? prev[i - 3] & 255 : 0;
      cost[0] += Math.abs((byte) x);
      cost[1] += Math.abs((byte) (x - a));
      cost[2] += Math.abs((byte) (x - b));
      cost[3] += Math.abs((byte) (x - ((a + b) >> 1)));
      cost[4] += Math.abs((byte) (x - paethReference(a, b, d)));
    }
    int best = 0;
    for (int f = 1; f < 5; f++) {
      if (cost[f] < cost[best]) {
        best = f;
      }
    }
    byte[] out = new byte[n + 1];
    out[0] = (byte) best;
    for (int i = 0; i < n; i++) {
      int x = cur[i] & 255;
      int a = i >= 3 ? cur[i - 3] & 255 : 0;
      int b = prev[i] & 255;
      int d = i >= 3 ? prev[i - 3] & 255 : 0;
      out[i + 1] = (byte) switch (best) {
        case 0 -> x;
        case 1 -> x - a;
        case 2 -> x - b;
        case 3 -> x - ((a + b) >> 1);
        default -> x - paethReference(a, b, d);
      };
    }
    return out;
  }

  @Test
  void theFasterFilterWritesTheReferenceBytesForEveryFilterType() {
    Random r = new Random(3);
    int[] seen = new int[5];
    for (int trial = 0; trial < 4000; trial++) {
      int n = 3 * (1 + r.nextInt(40));
      byte[] prev = new byte[n];
      byte[] cur = new byte[n];
      int kind = trial % 6; // smooth ramps, flat rows, noise, rows equal to the previous: every filter gets chosen
      for (int i = 0; i < n; i++) {
        prev[i] = (byte) (kind == 0 ? i * 3 : kind == 1 ? 77 : r.nextInt(256));
        cur[i] = (byte) switch (kind) {
          case 0 -> i * 3 + r.nextInt(3);
          case 1 -> 77 + r.nextInt(2);
          case 2 -> r.nextInt(256);
          case 3 -> prev[i] + r.nextInt(3);
          case 4 -> i / 3 * 5 + r.nextInt(2);
          default -> ((prev[i] & 255) + (i >= 3 ? 40 : 0)) / 2 + r.nextInt(3);
        };
      }
      byte[] expected = reference(cur, prev);
      assertArrayEquals(expected, PngEncoder.filter(cur, prev, new byte[1][n + 1]), "trial " + trial);
      seen[expected[0]]++;
    }
    for (int f = 0; f < 5; f++) {
      org.junit.jupiter.api.Assertions.assertTrue(seen[f] > 0, "filter " + f + " never chosen: " + java.util.Arrays.toString(seen));
    }
  }
}
