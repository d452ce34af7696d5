package org.pdm.model.nn;

/**
 * Counts the floating-point operations of a forward pass analytically, from the shapes each layer
 * sees: a multiply-add counts 2. Layers report only their dominant terms (convolutions, linear
 * layers, attention products); normalisations and pointwise ops are left out (a few percent).
 */
public final class FlopCounter {
  private double flops;

  public void add(double n) {
    flops += n;
  }

  public double total() {
    return flops;
  }
}
