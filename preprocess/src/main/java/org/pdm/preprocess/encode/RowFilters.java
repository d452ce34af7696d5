package org.pdm.preprocess.encode;

/**
 * The five PNG filters (none, sub, up, average, Paeth) on one RGB row: each one's cost as libpng's
 * heuristic counts it (the sum of |signed residual byte|), and the filtered row for the chosen one.
 * With the {@code jdk.incubator.vector} module in the JVM ({@code bin/pdm} and the tests add it) both
 * are done with SIMD ({@link VectorRowFilters}), otherwise by the scalar loops here; both give the same
 * sums and bytes, so the same PNG ({@code RowFiltersTest}).
 */
final class RowFilters {
  private RowFilters() {}

  /** Whether the SIMD loops are used in this JVM. */
  static final boolean VECTOR = vectorModulePresent();

  private static boolean vectorModulePresent() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      // Touch the class once: a JVM whose vector support is broken falls back rather than failing an image.
      return VectorRowFilters.lanes() > 0;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** The five costs of the row {@code cur} (previous row {@code prev}, all zeros for the first) into {@code cost}. */
  static void sums(byte[] cur, byte[] prev, long[] cost) {
    if (VECTOR) {
      VectorRowFilters.sums(cur, prev, cost);
    } else {
      scalarSums(cur, prev, cost);
    }
  }

  /** Filter {@code f} of the row into {@code out[1..]} ({@code out[0]}, the filter type, is the caller's). */
  static void write(int f, byte[] cur, byte[] prev, byte[] out) {
    if (f == 0) {
      System.arraycopy(cur, 0, out, 1, cur.length);
    } else if (VECTOR) {
      VectorRowFilters.write(f, cur, prev, out);
    } else {
      scalarWrite(f, cur, prev, out);
    }
  }

  /** The scalar sums; also the reference for the SIMD ones. */
  static void scalarSums(byte[] cur, byte[] prev, long[] cost) {
    cost[0] = cost[1] = cost[2] = cost[3] = cost[4] = 0;
    headSums(cur, prev, cost);
    tailSums(cur, prev, 3, cost);
  }

  /** The scalar filtered row; also the reference for the SIMD one. */
  static void scalarWrite(int f, byte[] cur, byte[] prev, byte[] out) {
    writeHead(f, cur, prev, out);
    writeTail(f, cur, prev, out, 3);
  }

  /** The first pixel (a = d = 0: sub = none, Paeth = up), added to {@code cost}. */
  static void headSums(byte[] cur, byte[] prev, long[] cost) {
    for (int i = 0; i < Math.min(3, cur.length); i++) {
      int x = cur[i] & 255;
      int b = prev[i] & 255;
      cost[0] += Math.abs((byte) x);
      cost[1] += Math.abs((byte) x);
      cost[2] += Math.abs((byte) (x - b));
      cost[3] += Math.abs((byte) (x - (b >> 1)));
      cost[4] += Math.abs((byte) (x - b));
    }
  }

  /**
   * Bytes {@code from} (at least 3) to the end of the row, added to {@code cost}. The first pixel is
   * done apart so that this loop has no bounds tests, and Paeth has no branches ({@link PngEncoder#paeth}).
   */
  static void tailSums(byte[] cur, byte[] prev, int from, long[] cost) {
    long c0 = 0;
    long c1 = 0;
    long c2 = 0;
    long c3 = 0;
    long c4 = 0;
    for (int i = from; i < cur.length; i++) {
      int x = cur[i] & 255;
      int a = cur[i - 3] & 255;
      int b = prev[i] & 255;
      int d = prev[i - 3] & 255;
      c0 += Math.abs((byte) x);
      c1 += Math.abs((byte) (x - a));
      c2 += Math.abs((byte) (x - b));
      c3 += Math.abs((byte) (x - ((a + b) >> 1)));
      c4 += Math.abs((byte) (x - PngEncoder.paeth(a, b, d)));
    }
    cost[0] += c0;
    cost[1] += c1;
    cost[2] += c2;
    cost[3] += c3;
    cost[4] += c4;
  }

  /** The first pixel of filter {@code f} (1 to 4). */
  static void writeHead(int f, byte[] cur, byte[] prev, byte[] out) {
    for (int i = 0; i < Math.min(3, cur.length); i++) {
      int x = cur[i] & 255;
      int b = prev[i] & 255;
      out[i + 1] = (byte) switch (f) {
        case 1 -> x;
        case 3 -> x - (b >> 1);
        default -> x - b; // up, and Paeth with a = d = 0
      };
    }
  }

  /** Bytes {@code from} (at least 3) to the end of filter {@code f} (1 to 4), one loop per filter. */
  static void writeTail(int f, byte[] cur, byte[] prev, byte[] out, int from) {
    int n = cur.length;
    switch (f) {
      case 1 -> {
        for (int i = from; i < n; i++) {
          out[i + 1] = (byte) (cur[i] - cur[i - 3]);
        }
      }
      case 2 -> {
        for (int i = from; i < n; i++) {
          out[i + 1] = (byte) (cur[i] - prev[i]);
        }
      }
      case 3 -> {
        for (int i = from; i < n; i++) {
          out[i + 1] = (byte) ((cur[i] & 255) - (((cur[i - 3] & 255) + (prev[i] & 255)) >> 1));
        }
      }
      default -> {
        for (int i = from; i < n; i++) {
          out[i + 1] = (byte) ((cur[i] & 255)
              - PngEncoder.paeth(cur[i - 3] & 255, prev[i] & 255, prev[i - 3] & 255));
        }
      }
    }
  }
}
