package org.pdm.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.pdm.model.blocks.DropoutSchedule;
import org.pdm.model.blocks.ResBlock;
import org.pdm.model.blocks.SpatialChannelAttention;
import org.pdm.model.blocks.TimeEmbedding;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.flow.Pyramid;
import org.pdm.model.flow.Sampler;
import org.pdm.model.flow.VelocityField;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;
import org.pdm.model.nn.Ops;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;

/**
 * The pyramid UNet (paper Fig. 6): an NCSN++ backbone (BigGAN ResBlocks, GroupNorm, skip_rescale,
 * time embedding; spatial-channel attention in place of spatial attention) with one branch per
 * pyramid latent. Level i's noisy latent enters through its {@link BranchIn} and is added to the
 * backbone after the downsampling that reaches its resolution (input-skip; the largest level starts
 * the backbone); on the way up, the backbone features at level i's resolution are bypassed into its
 * {@link BranchOut}, which emits that level's drift (res-skip). With one level and
 * {@code branch-blocks = 0} this is plain NCSN++ (score_sde's {@code ncsnpp} with BigGAN blocks,
 * fir = false, no progressive paths): NcsnppFixtureTest compares the parameters with score_sde's.
 *
 * <p>Shapes: z = [(B, c_i, h_i, w_i) for each level, largest first], t (B,) -> drifts of the same
 * shapes. Dropout decreases linearly from {@code dropout.lowest} at the lowest backbone resolution to
 * {@code dropout.highest} at R_0.
 */
public final class PyramidUNet extends Module {
  private final UNetConfig config;
  private final TimeEmbedding temb;
  private final ModuleList<BranchIn> branchIn;
  private final ModuleList<BranchOut> branchOut;
  private final int[] levelAt; // level index at backbone resolution i, or -1
  private final List<List<Module>> down = new ArrayList<>(); // per resolution: ResBlocks, attentions
  private final ResBlock[] downsample;
  private final ResBlock mid0;
  private final SpatialChannelAttention midAttn;
  private final ResBlock mid1;
  private final List<List<Module>> up = new ArrayList<>();
  private final ResBlock[] upsample;

  public PyramidUNet(UNetConfig c) {
    this.config = c;
    int n = c.numResolutions();
    double[] p = DropoutSchedule.rates(n, c.dropoutLowest(), c.dropoutHighest());
    boolean sn = c.spectralNorm();
    boolean sr = c.skipRescale();
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = c.channels() * c.channelMult().get(i);
    }
    this.temb = child("temb", new TimeEmbedding(c.timeEmbedding(), c.channels(), sn));
    int t = temb.outChannels();
    levelAt = new int[n];
    java.util.Arrays.fill(levelAt, -1);
    this.branchIn = child("branch_in", new ModuleList<>());
    this.branchOut = child("branch_out", new ModuleList<>());
    for (int l = 0; l < c.levels().size(); l++) {
      LevelSpec level = c.levels().get(l);
      int r = c.resolutionIndex(level);
      levelAt[r] = l;
      // joins where NCSN++'s downsampling left the width of the resolution above (nf at R_0, as
      // NCSN++'s input convolution)
      int join = r == 0 ? c.channels() : width[r - 1];
      branchIn.add(new BranchIn(level.channels(), join, c.branchBlocks(), t, p[r], sr, sn));
      branchOut.add(new BranchOut(width[r], level.channels(), c.branchBlocks(), t, p[r], sr, sn));
    }
    // down path: hs channel bookkeeping as in NCSN++
    ModuleList<ModuleList<Module>> downList = child("down", new ModuleList<>());
    downsample = new ResBlock[n];
    Deque<Integer> hsChannels = new ArrayDeque<>();
    hsChannels.push(c.channels());
    int ch = c.channels();
    for (int i = 0; i < n; i++) {
      ModuleList<Module> stage = downList.add(new ModuleList<>());
      List<Module> blocks = new ArrayList<>();
      for (int j = 0; j < c.resBlocks().get(i); j++) {
        blocks.add(stage.add(new ResBlock(ch, width[i], t, ResBlock.Resample.NONE, p[i], sr, sn)));
        ch = width[i];
        if (c.attentionResolutions().contains(c.heightAt(i))) {
          blocks.add(stage.add(new SpatialChannelAttention(ch, sr, sn)));
        }
        hsChannels.push(ch);
      }
      if (i < n - 1) {
        // as NCSN++: the downsampling block keeps the width; the next resolution's first block
        // changes it
        downsample[i] = stage.add(new ResBlock(ch, ch, t, ResBlock.Resample.DOWN, p[i + 1], sr, sn));
        hsChannels.push(ch);
      }
      down.add(blocks);
    }
    ModuleList<Module> midList = child("mid", new ModuleList<>());
    mid0 = midList.add(new ResBlock(ch, ch, t, ResBlock.Resample.NONE, p[n - 1], sr, sn));
    midAttn = midList.add(new SpatialChannelAttention(ch, sr, sn));
    mid1 = midList.add(new ResBlock(ch, ch, t, ResBlock.Resample.NONE, p[n - 1], sr, sn));
    // up path: each ResBlock takes the concatenation with one stored down feature
    ModuleList<ModuleList<Module>> upList = child("up", new ModuleList<>());
    upsample = new ResBlock[n];
    for (int i = n - 1; i >= 0; i--) {
      ModuleList<Module> stage = upList.add(new ModuleList<>());
      List<Module> blocks = new ArrayList<>();
      for (int j = 0; j < c.resBlocks().get(i) + 1; j++) {
        int skip = hsChannels.pop();
        blocks.add(stage.add(new ResBlock(ch + skip, width[i], t, ResBlock.Resample.NONE, p[i], sr,
            sn)));
        ch = width[i];
      }
      // NCSN++ attends once per resolution on the way up, after the block loop
      if (c.attentionResolutions().contains(c.heightAt(i))) {
        blocks.add(stage.add(new SpatialChannelAttention(ch, sr, sn)));
      }
      if (i > 0) {
        upsample[i] = stage.add(new ResBlock(ch, ch, t, ResBlock.Resample.UP, p[i - 1], sr, sn));
      }
      up.add(blocks);
    }
    if (!hsChannels.isEmpty()) {
      throw new IllegalStateException("unbalanced skip connections: " + hsChannels);
    }
  }

  public UNetConfig config() {
    return config;
  }

  /** Levels, largest first. */
  public List<LevelSpec> levels() {
    return config.levels();
  }

  /** Drift per level: z (each (B, c_i, h_i, w_i), largest first), t (B,) -> same shapes. */
  public NDList forward(Ctx ctx, NDList z, NDArray t) {
    int n = config.numResolutions();
    if (z.size() != config.levels().size()) {
      throw new IllegalArgumentException("expected " + config.levels().size() + " latents, got "
          + z.size());
    }
    NDArray emb = temb.forward(ctx, t); // (B, 4nf)
    NDArray h = branchIn.get(0).forward(ctx, z.get(0), emb); // (B, C_0, h_0, w_0)
    Deque<NDArray> hs = new ArrayDeque<>();
    hs.push(h);
    for (int i = 0; i < n; i++) {
      for (Module m : down.get(i)) {
        if (m instanceof ResBlock rb) {
          h = rb.forward(ctx, h, emb);
          if (!(next(down.get(i), m) instanceof SpatialChannelAttention)) {
            hs.push(h);
          }
        } else {
          h = ((SpatialChannelAttention) m).forward(ctx, h);
          hs.push(h);
        }
      }
      if (i < n - 1) {
        h = downsample[i].forward(ctx, h, emb);
        int level = levelAt[i + 1];
        if (level >= 0) { // input-skip from the branch at this resolution
          h = Ops.skipAdd(h, branchIn.get(level).forward(ctx, z.get(level), emb),
              config.skipRescale());
        }
        hs.push(h);
      }
    }
    h = mid1.forward(ctx, midAttn.forward(ctx, mid0.forward(ctx, h, emb)), emb);
    NDArray[] drift = new NDArray[config.levels().size()];
    for (int k = 0; k < n; k++) {
      int i = n - 1 - k;
      for (Module m : up.get(k)) {
        if (m instanceof ResBlock rb) {
          h = rb.forward(ctx, h.concat(hs.pop(), 1), emb);
        } else {
          h = ((SpatialChannelAttention) m).forward(ctx, h);
        }
      }
      int level = levelAt[i];
      if (level >= 0) { // res-skip: backbone features into the branch's output
        drift[level] = branchOut.get(level).forward(ctx, h, emb);
      }
      if (i > 0) {
        h = upsample[i].forward(ctx, h, emb);
      }
    }
    return new NDList(drift);
  }

  /**
   * This network as a {@link VelocityField} for the samplers, in eval mode: each call runs in its own
   * {@link StepScope} (weights moved in) and hands the drifts back in the manager of the input z.
   */
  public VelocityField velocity() {
    return (z, t) -> {
      NDManager out = z.head().getManager();
      try (StepScope scope = StepScope.open(this)) {
        NDList v = forward(Ctx.eval(scope.manager()), z, t);
        for (NDArray a : v) {
          a.attach(out);
        }
        return v;
      }
    };
  }

  /**
   * Host-array convenience: draws {@code batch} pyramid latents with {@code sampler} from noise
   * drawn from {@code rng} and returns them per level (B, c, h, w) row-major, in the (scaled) space
   * the network was trained in. Unscale with the run's {@link org.pdm.model.flow.LatentScaler}
   * before decoding. The manager is used for the state and freed before returning.
   */
  public float[][] sample(NDManager manager, Sampler sampler, int batch, Rng rng) {
    try (NDManager m = manager.newSubManager(manager().getDevice())) {
      List<Shape> shapes = new ArrayList<>();
      for (LevelSpec l : config.levels()) {
        shapes.add(new Shape(batch, l.channels(), l.height(), l.width()));
      }
      NDList z = sampler.sample(velocity(), Pyramid.normal(m, shapes, rng)).z();
      float[][] out = new float[z.size()][];
      for (int i = 0; i < z.size(); i++) {
        out[i] = z.get(i).toFloatArray();
      }
      return out;
    }
  }

  private static Module next(List<Module> list, Module m) {
    int i = list.indexOf(m);
    return i + 1 < list.size() ? list.get(i + 1) : null;
  }
}
