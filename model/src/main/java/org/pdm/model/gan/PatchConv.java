package org.pdm.model.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Init;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;

/**
 * The PatchGAN's 4x4 convolution, padding 1, stride 1 or 2: (B, I, H, W) -> (B, O, H', W') with
 * H' = (H + 2 - 4) / stride + 1. Weights N(0, 0.02) as taming's {@code weights_init}; a bias only
 * where no normalisation follows (taming's {@code use_bias}).
 */
final class PatchConv extends Module {
  static final int KERNEL = 4;
  private final int in;
  private final int out;
  private final int stride;
  private final Param weight;
  private final Param bias;

  PatchConv(int in, int out, int stride, boolean bias) {
    this.in = in;
    this.out = out;
    this.stride = stride;
    this.weight = param("weight", new Shape(out, in, KERNEL, KERNEL), Init.normal(0.02));
    this.bias = bias ? param("bias", new Shape(out), Init.zeros()) : null;
  }

  /** Output side for an input side {@code size}. */
  int outSize(int size) {
    return (size + 2 - KERNEL) / stride + 1;
  }

  NDArray forward(Ctx ctx, NDArray x) {
    Shape s = x.getShape();
    long h = outSize((int) s.get(2));
    long w = outSize((int) s.get(3));
    ctx.countFlops(2.0 * s.get(0) * h * w * out * in * KERNEL * KERNEL);
    return Conv2d.conv2d(x, weight.value(), bias == null ? null : bias.value(),
        new Shape(stride, stride), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
  }
}
