package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;

/**
 * The paper's spatial-channel attention (eq. 8). From h = GN(x), 1x1 projections give q, k, v of shape
 * (B, C, N) with N = H*W. Spatial attention treats the N pixels as tokens (weights (B, N, N) =
 * softmax(q^T k / sqrt(C))), channel attention the C channels (weights (B, C, C) =
 * softmax(q k^T / sqrt(N))); both run in parallel on the same v and are mixed as
 * <pre>  out = N/(N+C) * spatial + C/(N+C) * channel</pre>
 * then projected (1x1, initialised near zero) and added to x (skip_rescale as NCSN++'s attention).
 * (B, C, H, W) -> (B, C, H, W).
 */
public final class SpatialChannelAttention extends Module {
  private final int channels;
  private final boolean skipRescale;
  private final GroupNorm norm;
  private final Conv2dLayer q;
  private final Conv2dLayer k;
  private final Conv2dLayer v;
  private final Conv2dLayer proj;

  public SpatialChannelAttention(int channels, boolean skipRescale, boolean spectralNorm) {
    this.channels = channels;
    this.skipRescale = skipRescale;
    this.norm = child("norm", new GroupNorm(channels));
    this.q = child("q", new Conv2dLayer(channels, channels, 1, spectralNorm));
    this.k = child("k", new Conv2dLayer(channels, channels, 1, spectralNorm));
    this.v = child("v", new Conv2dLayer(channels, channels, 1, spectralNorm));
    this.proj = child("proj", new Conv2dLayer(channels, channels, 1, spectralNorm, 0.0));
  }

  /** Eq. 8 weights {spatial, channel} = {HW/(HW+C), C/(HW+C)}. */
  public static double[] mixWeights(long hw, long c) {
    double total = hw + c;
    return new double[] {hw / total, c / total};
  }

  /** (B, C, H, W) -> (B, C, H, W). */
  public NDArray forward(Ctx ctx, NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long n = s.get(2) * s.get(3);
    NDArray h = norm.forward(ctx, x);
    NDArray qs = q.forward(ctx, h).reshape(b, channels, n); // (B, C, N)
    NDArray ks = k.forward(ctx, h).reshape(b, channels, n);
    NDArray vs = v.forward(ctx, h).reshape(b, channels, n);
    ctx.countFlops(2.0 * b * n * n * channels * 2 + 2.0 * b * channels * channels * n * 2);
    // spatial: tokens are pixels
    NDArray ws = Ops.scale(qs.transpose(0, 2, 1).matMul(ks), 1.0 / Math.sqrt(channels))
        .softmax(2); // (B, N, N)
    NDArray spatial = vs.matMul(ws.transpose(0, 2, 1)); // (B, C, N)
    // channel: tokens are channels
    NDArray wc = Ops.scale(qs.matMul(ks.transpose(0, 2, 1)), 1.0 / Math.sqrt(n))
        .softmax(2); // (B, C, C)
    NDArray channel = wc.matMul(vs); // (B, C, N)
    double[] mix = mixWeights(n, channels);
    NDArray mixed = Ops.scale(spatial, mix[0]).add(Ops.scale(channel, mix[1])).reshape(s);
    return Ops.skipAdd(x, proj.forward(ctx, mixed), skipRescale);
  }
}
