package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;

/**
 * Linear attention of the light encoder (latent diffusion's {@code LinearAttention}): from GN(x) a 1x1
 * convolutions give q, k, v with {@code heads} heads of width d = C/heads, (B, heads, d, N); keys are
 * softmaxed over the N pixels, context = k v^T (B, heads, d, d), out = context^T q, projected 1x1 and
 * added to x. Cost is linear in N. (B, C, H, W) -> (B, C, H, W).
 */
public final class LinearAttention extends Module {
  private final int channels;
  private final int heads;
  private final boolean skipRescale;
  private final GroupNorm norm;
  private final Conv2dLayer q;
  private final Conv2dLayer k;
  private final Conv2dLayer v;
  private final Conv2dLayer proj;

  public LinearAttention(int channels, int heads, boolean skipRescale, boolean spectralNorm) {
    if (channels % heads != 0) {
      throw new IllegalArgumentException(channels + " channels not divisible by " + heads + " heads");
    }
    this.channels = channels;
    this.heads = heads;
    this.skipRescale = skipRescale;
    this.norm = child("norm", new GroupNorm(channels));
    this.q = child("q", new Conv2dLayer(channels, channels, 1, spectralNorm));
    this.k = child("k", new Conv2dLayer(channels, channels, 1, spectralNorm));
    this.v = child("v", new Conv2dLayer(channels, channels, 1, spectralNorm));
    this.proj = child("proj", new Conv2dLayer(channels, channels, 1, spectralNorm, 0.0));
  }

  /** (B, C, H, W) -> (B, C, H, W). */
  public NDArray forward(Ctx ctx, NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long n = s.get(2) * s.get(3);
    long d = channels / heads;
    NDArray h = norm.forward(ctx, x);
    NDArray qs = q.forward(ctx, h).reshape(b, heads, d, n); // (B, heads, d, N)
    NDArray ks = k.forward(ctx, h).reshape(b, heads, d, n).softmax(3); // over the N pixels
    NDArray vs = v.forward(ctx, h).reshape(b, heads, d, n);
    ctx.countFlops(2.0 * b * heads * d * d * n * 2);
    NDArray context = ks.matMul(vs.transpose(0, 1, 3, 2)); // (B, heads, d, d)
    NDArray out = context.transpose(0, 1, 3, 2).matMul(qs).reshape(s); // (B, C, H, W)
    return Ops.skipAdd(x, proj.forward(ctx, out), skipRescale);
  }
}
