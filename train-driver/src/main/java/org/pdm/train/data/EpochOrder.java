package org.pdm.train.data;

import java.util.SplittableRandom;

/**
 * The order of one training epoch, as input-wide row numbers: the row groups in an order shuffled by
 * (seed, epoch), their training rows in file order passed through a shuffle buffer of
 * {@code bufferSize} rows (each step gives a uniformly chosen buffered row and puts the next row in its
 * place). It needs no row data, so a resumed stream replays it to any position at the cost of
 * arithmetic only. Every training row comes out exactly once.
 */
final class EpochOrder {
  private final DataIndex index;
  private final int[][] rows;
  private final int[] groupOrder;
  private final SplittableRandom pick;
  private final int[] buffer;
  private int size;
  private int groupAt;
  private int rowAt;
  private long remaining;

  EpochOrder(DataIndex index, int[][] rows, long seed, int epoch, int bufferSize) {
    this.index = index;
    this.rows = rows;
    this.groupOrder = shuffledGroups(rows.length, new SplittableRandom(mix(seed, epoch, 1)));
    this.pick = new SplittableRandom(mix(seed, epoch, 2));
    this.buffer = new int[bufferSize];
    this.remaining = DataIndex.count(rows);
  }

  /** Training rows not yet given in this epoch. */
  long remaining() {
    return remaining;
  }

  /** The next row of the epoch; call only while {@link #remaining()} is positive. */
  int next() {
    while (size < buffer.length && hasSource()) {
      buffer[size++] = source();
    }
    int i = pick.nextInt(size);
    int out = buffer[i];
    buffer[i] = hasSource() ? source() : buffer[--size];
    remaining--;
    return out;
  }

  private boolean hasSource() {
    while (groupAt < groupOrder.length && rowAt == rows[groupOrder[groupAt]].length) {
      groupAt++;
      rowAt = 0;
    }
    return groupAt < groupOrder.length;
  }

  private int source() {
    int g = groupOrder[groupAt];
    return index.groups().get(g).first() + rows[g][rowAt++];
  }

  private static int[] shuffledGroups(int n, SplittableRandom rng) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) { // Fisher-Yates
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** A well-mixed seed for stream {@code salt} of (seed, epoch): SplitMix64's finalizer over the three. */
  static long mix(long seed, int epoch, int salt) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + salt * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
