package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Init;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;

/**
 * Group normalisation (B, C, H, W) -> (B, C, H, W) with affine weight/bias (C). DJL has none: the
 * input is viewed as (B, G, C/G*H*W) and normalised by libtorch's layer-norm kernel with unit weights
 * (PLATFORM-NOTES: matches a mean/var version to 7e-7 and is faster), then scaled per channel.
 */
public final class GroupNorm extends Module {
  private static final float EPS = 1e-6f;
  private final int channels;
  private final int groups;
  private final Param weight;
  private final Param bias;

  public GroupNorm(int channels) {
    this(channels, defaultGroups(channels));
  }

  public GroupNorm(int channels, int groups) {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(channels + " channels are not divisible into " + groups
          + " groups");
    }
    this.channels = channels;
    this.groups = groups;
    this.weight = param("weight", new Shape(channels), Init.ones());
    this.bias = param("bias", new Shape(channels), Init.zeros());
  }

  /** NCSN++'s choice, min(C/4, 32) groups, lowered until it divides C. */
  public static int defaultGroups(int channels) {
    int g = Math.max(1, Math.min(channels / 4, 32));
    while (channels % g != 0) {
      g--;
    }
    return g;
  }

  public int groups() {
    return groups;
  }

  /** (B, C, H, W) -> (B, C, H, W). */
  public NDArray forward(Ctx ctx, NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long n = s.size() / (b * groups);
    NDArray grouped = x.reshape(b, groups, n); // (B, G, C/G*H*W)
    Shape norm = new Shape(n);
    NDArray ones = ctx.manager().ones(norm, x.getDataType(), x.getDevice());
    NDArray zeros = ctx.manager().zeros(norm, x.getDataType(), x.getDevice());
    NDArray y = LayerNorm.layerNorm(grouped, norm, ones, zeros, EPS).singletonOrThrow().reshape(s);
    Shape c = new Shape(1, channels, 1, 1);
    return y.mul(weight.value().reshape(c)).add(bias.value().reshape(c));
  }
}
