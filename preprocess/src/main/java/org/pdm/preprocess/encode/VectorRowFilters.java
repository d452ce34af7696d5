package org.pdm.preprocess.encode;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowFilters} with the Vector API: bytes widened to 16-bit lanes (Paeth's distances need 10
 * bits); for the costs each residual is cut back to a signed byte and its absolute value summed per
 * lane, for the filtered row narrowed back to bytes. The first pixel and the last partial step are
 * {@link RowFilters}' scalar loops. Loaded only when the {@code jdk.incubator.vector} module is in the JVM.
 */
final class VectorRowFilters {
  private VectorRowFilters() {}

  private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
  /** Bytes loaded per step: as many as S has lanes, in half its width. */
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
  /**
   * Steps between folding the 16-bit sums into longs: a residual costs at most 128, so a lane
   * holds at most 128 * 255 = 32640 after this many, below Short.MAX_VALUE.
   */
  private static final int FOLD = 255;

  static int lanes() {
    return S.length();
  }

  static void sums(byte[] cur, byte[] prev, long[] cost) {
    cost[0] = cost[1] = cost[2] = cost[3] = cost[4] = 0;
    RowFilters.headSums(cur, prev, cost);
    int n = cur.length;
    int step = S.length();
    int i = 3;
    ShortVector zero = ShortVector.zero(S);
    while (i + step <= n) {
      ShortVector s0 = zero;
      ShortVector s1 = zero;
      ShortVector s2 = zero;
      ShortVector s3 = zero;
      ShortVector s4 = zero;
      for (int k = 0; k < FOLD && i + step <= n; k++, i += step) {
        ShortVector x = load(cur, i);
        ShortVector a = load(cur, i - 3);
        ShortVector b = load(prev, i);
        ShortVector d = load(prev, i - 3);
        s0 = s0.add(cost(x));
        s1 = s1.add(cost(x.sub(a)));
        s2 = s2.add(cost(x.sub(b)));
        s3 = s3.add(cost(x.sub(average(a, b))));
        s4 = s4.add(cost(x.sub(paeth(a, b, d))));
      }
      cost[0] += fold(s0);
      cost[1] += fold(s1);
      cost[2] += fold(s2);
      cost[3] += fold(s3);
      cost[4] += fold(s4);
    }
    RowFilters.tailSums(cur, prev, i, cost);
  }

  /** Filter {@code f} (1 to 4) of the row into {@code out[1..]}. */
  static void write(int f, byte[] cur, byte[] prev, byte[] out) {
    RowFilters.writeHead(f, cur, prev, out);
    int n = cur.length;
    int step = S.length();
    int i = 3;
    for (; i + step <= n; i += step) {
      ShortVector x = load(cur, i);
      ShortVector r = switch (f) {
        case 1 -> x.sub(load(cur, i - 3));
        case 2 -> x.sub(load(prev, i));
        case 3 -> x.sub(average(load(cur, i - 3), load(prev, i)));
        default -> x.sub(paeth(load(cur, i - 3), load(prev, i), load(prev, i - 3)));
      };
      r.convertShape(VectorOperators.S2B, B, 0).reinterpretAsBytes().intoArray(out, i + 1);
    }
    RowFilters.writeTail(f, cur, prev, out, i);
  }

  /** Bytes i to i + lanes as unsigned 16-bit values. */
  private static ShortVector load(byte[] row, int i) {
    return ((ShortVector) ByteVector.fromArray(B, row, i).convertShape(VectorOperators.B2S, S, 0))
        .and((short) 0xFF);
  }

  /** |(byte) r|: the low byte sign-extended, then its absolute value (0 to 128). */
  private static ShortVector cost(ShortVector r) {
    return r.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).lanewise(VectorOperators.ABS);
  }

  private static ShortVector average(ShortVector a, ShortVector b) {
    return a.add(b).lanewise(VectorOperators.ASHR, 1);
  }

  /** PngEncoder.paeth per lane: a if pa <= pb and pa <= pc, else b if pb <= pc, else d. */
  private static ShortVector paeth(ShortVector a, ShortVector b, ShortVector d) {
    ShortVector pa = b.sub(d).lanewise(VectorOperators.ABS);
    ShortVector pb = a.sub(d).lanewise(VectorOperators.ABS);
    ShortVector pc = a.add(b).sub(d).sub(d).lanewise(VectorOperators.ABS);
    VectorMask<Short> takeB = pb.compare(VectorOperators.LE, pc);
    VectorMask<Short> takeA = pa.compare(VectorOperators.LE, pb).and(pa.compare(VectorOperators.LE, pc));
    return d.blend(b, takeB).blend(a, takeA);
  }

  /** The lanes' total; each lane is in 0..32767, so pairs of them read as ints split exactly. */
  private static long fold(ShortVector s) {
    IntVector pairs = s.reinterpretAsInts();
    return pairs.and(0xFFFF).add(pairs.lanewise(VectorOperators.LSHR, 16)).reduceLanes(VectorOperators.ADD);
  }
}
