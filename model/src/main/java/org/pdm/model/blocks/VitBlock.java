package org.pdm.model.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Init;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Ops;

/**
 * A pre-norm vision-transformer block for the decoder's branch option (paper section 3.3: a branch is
 * "ResBlock + spatial-channel attention, or ViT"). Pixels are tokens (B, N, C); a learned position
 * embedding (N, C), multi-head self-attention and a 4x MLP with GELU, each residual.
 * (B, C, H, W) -> (B, C, H, W).
 */
public final class VitBlock extends Module {
  private static final float EPS = 1e-6f;
  private final int channels;
  private final int heads;
  private final Param pos;
  private final Param ln1w;
  private final Param ln1b;
  private final LinearLayer qkv;
  private final LinearLayer proj;
  private final Param ln2w;
  private final Param ln2b;
  private final LinearLayer fc1;
  private final LinearLayer fc2;

  public VitBlock(int channels, int heads, long height, long width) {
    if (channels % heads != 0) {
      throw new IllegalArgumentException(channels + " channels not divisible by " + heads + " heads");
    }
    this.channels = channels;
    this.heads = heads;
    this.pos = param("pos_embed", new Shape(height * width, channels), Init.normal(0.02));
    this.ln1w = param("ln1.weight", new Shape(channels), Init.ones());
    this.ln1b = param("ln1.bias", new Shape(channels), Init.zeros());
    this.qkv = child("qkv", new LinearLayer(channels, 3 * channels, false));
    this.proj = child("proj", new LinearLayer(channels, channels, false, 0.0));
    this.ln2w = param("ln2.weight", new Shape(channels), Init.ones());
    this.ln2b = param("ln2.bias", new Shape(channels), Init.zeros());
    this.fc1 = child("fc1", new LinearLayer(channels, 4 * channels, false));
    this.fc2 = child("fc2", new LinearLayer(4 * channels, channels, false, 0.0));
  }

  /** (B, C, H, W) -> (B, C, H, W). */
  public NDArray forward(Ctx ctx, NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long n = s.get(2) * s.get(3);
    long d = channels / heads;
    NDArray tok = x.reshape(b, channels, n).transpose(0, 2, 1).add(pos.value()); // (B, N, C)
    Shape c = new Shape(channels);
    NDArray h = LayerNorm.layerNorm(tok, c, ln1w.value(), ln1b.value(), EPS).singletonOrThrow();
    NDArray all = qkv.forward(ctx, h).reshape(b, n, 3, heads, d).transpose(2, 0, 3, 1, 4);
    NDArray q = all.get("0"); // (B, heads, N, d)
    NDArray k = all.get("1");
    NDArray v = all.get("2");
    ctx.countFlops(2.0 * b * heads * n * n * d * 2);
    NDArray w = Ops.scale(q.matMul(k.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(d)).softmax(3);
    NDArray att = w.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, channels); // (B, N, C)
    tok = tok.add(proj.forward(ctx, att));
    h = LayerNorm.layerNorm(tok, c, ln2w.value(), ln2b.value(), EPS).singletonOrThrow();
    tok = tok.add(fc2.forward(ctx, Activation.gelu(fc1.forward(ctx, h))));
    return tok.transpose(0, 2, 1).reshape(s);
  }
}
