package org.pdm.model.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.pdm.model.autoencoder.LatentPyramid;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.autoencoder.PyramidDecoder;
import org.pdm.model.blocks.Conv2dLayer;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Ops;
import org.pdm.model.train.LossFunction;
import org.pdm.model.train.Trainer;

/**
 * Latent diffusion's autoencoder objective ({@code LPIPSWithDiscriminator}) as two updates a
 * training driver calls per step, each through its own {@link Trainer} (the discriminator's with
 * Adam betas (0.5, 0.9), as latent diffusion's both):
 * <pre>
 *   generator:     rec + perceptual-weight * LPIPS + kl-weight * KL / n + d * factor * (-mean D(x'))
 *   discriminator: factor * 0.5 * (mean relu(1 - D(x)) + mean relu(1 + D(x'.detach())))
 * </pre>
 * in our per-pixel units (n = C*H*W, see {@code AutoEncoderLoss}): rec is the mean |x - x'| (L1,
 * default) or (x - x')^2 (L2); LPIPS is averaged over the batch (latent diffusion adds the
 * per-image distance at every pixel and sums, which is the same divided by n); factor is
 * {@code discFactor} from step {@code discStart} on and 0 before (then D is not run at all); d is
 * the adaptive weight ||grad nll|| / (||grad g|| + 1e-4) on the decoder's last layer weight,
 * clamped to [0, 1e4], times {@code discWeight}. As it is a ratio, its value on our scaled nll
 * equals latent diffusion's (but for the 1e-4), so the balance of the terms is theirs. Latent
 * diffusion's learned log-variance of the nll is left out: its autoencoder optimizer does not
 * include it, so it stays at its initial 0.
 *
 * <p>How the adaptive weight is computed without two extra backward passes through the
 * autoencoder: the nll and g depend on the parameters only through the reconstruction x', and the
 * last layer's output enters x' unscaled (the full-resolution head is added last). So the
 * discriminator and LPIPS run on a detached leaf copy of x'; two backward passes from nll and from
 * g give their gradients w.r.t. x', and the last layer's weight gradients follow from one small
 * convolution each. The autoencoder's backward pass is then seeded with the combined gradient
 * (value of the returned loss: the true total; gradient: the true gradient). The discriminator's
 * gradients from these passes are cleared by the generator's trainer at the end of its step, and
 * the discriminator's step runs only the discriminator on stored detached reconstructions, so
 * neither update sees the other's gradients.
 *
 * <p>The discriminator step uses the reconstructions of the generator step just taken (made before
 * the autoencoder's update; latent diffusion runs the autoencoder again after it), which saves a
 * forward pass. One instance per training loop, not thread-safe.
 */
public final class AutoEncoderObjective {
  /** The reconstruction term. */
  public enum Reconstruction { L1, L2 }

  /**
   * The objective's weights (latent diffusion's {@code lossconfig} params).
   *
   * @param reconstruction L1 (latent diffusion) or L2
   * @param perceptualWeight weight of LPIPS (latent diffusion 1.0); 0 for none
   * @param discWeight multiplies the adaptive weight (latent diffusion 0.5)
   * @param discStart first step with the adversarial terms (latent diffusion 50001)
   * @param discFactor the adversarial terms' factor from {@code discStart} (latent diffusion 1.0)
   * @param klWeight weight of the KL term on latent diffusion's scale (divided by n here, as
   *     {@code AutoEncoderLoss}); a training driver's own key, which may differ from the model
   *     config's {@code kl-weight}
   */
  public record Settings(Reconstruction reconstruction, double perceptualWeight, double discWeight,
      long discStart, double discFactor, double klWeight) {
    public Settings {
      if (reconstruction == null || perceptualWeight < 0 || discWeight < 0 || discStart < 0
          || discFactor < 0 || !(klWeight >= 0)) {
        throw new IllegalArgumentException("invalid autoencoder objective settings: " + this);
      }
    }

    /** With the model config's KL weight. */
    public Settings(Reconstruction reconstruction, double perceptualWeight, double discWeight,
        long discStart, double discFactor, AutoEncoderConfig config) {
      this(reconstruction, perceptualWeight, discWeight, discStart, discFactor, config.klWeight());
    }

    /**
     * Latent diffusion's values (its kl-f* autoencoder configs): L1, LPIPS 1.0, disc weight 0.5,
     * factor 1, KL weight 1e-6.
     */
    public static Settings latentDiffusion(long discStart) {
      return new Settings(Reconstruction.L1, 1.0, 0.5, discStart, 1.0, 1e-6);
    }
  }

  /**
   * One generator step's terms, averaged over its micro-batches, as they enter the total (the KL
   * weighted and divided by n, the perceptual term weighted); {@code g} is -mean D(x') unweighted,
   * {@code adaptiveWeight} d (discWeight included), {@code discFactor} the factor this step.
   */
  public record GeneratorTerms(double reconstruction, double kl, double perceptual, double g,
      double adaptiveWeight, double discFactor, double total, double gradNorm, double lr) {}

  /** One discriminator step: its hinge loss (factor included) and the mean logits. */
  public record DiscriminatorTerms(double loss, double realLogits, double fakeLogits,
      double gradNorm, double lr) {}

  private final PyramidAutoEncoder ae;
  private final PatchDiscriminator disc;
  private final Settings settings;
  private final LpipsLoss lpips;
  private final Shape imageShape; // (C, H, W)
  private final List<float[]> heldReal = new ArrayList<>();
  private final List<float[]> heldFake = new ArrayList<>();
  private final List<Integer> heldSizes = new ArrayList<>();
  private long heldStep = -1;

  /** {@code lpips} may be null when {@code settings.perceptualWeight()} is 0. */
  public AutoEncoderObjective(PyramidAutoEncoder ae, PatchDiscriminator disc, Settings settings,
      LpipsLoss lpips) {
    if (settings.perceptualWeight() > 0 && lpips == null) {
      throw new IllegalArgumentException("perceptual weight " + settings.perceptualWeight()
          + " needs an LPIPS TorchScript file; give one or set the perceptual weight to 0");
    }
    if (ae.decoder().lastLayer().spectralNorm()) {
      throw new IllegalStateException("the adaptive weight assumes an unnormalised last layer");
    }
    this.ae = ae;
    this.disc = disc;
    this.settings = settings;
    this.lpips = lpips;
    var c = ae.config();
    this.imageShape = new Shape(c.imageChannels(), c.imageHeight(), c.imageWidth());
  }

  public Settings settings() {
    return settings;
  }

  /** Whether the adversarial terms are on at optimizer step {@code step}. */
  public boolean discriminatorActive(long step) {
    return HingeLoss.discFactor(step, settings.discStart(), settings.discFactor()) > 0;
  }

  /**
   * One autoencoder update on {@code microBatches} (one per {@code aeTrainer.config()
   * .accumulation()}), each {@code batch} images (batch, C, H, W) row-major in [-1, 1]. The step
   * is {@code aeTrainer.step()}. Keeps the inputs and detached reconstructions for
   * {@link #discriminatorStep}.
   */
  public GeneratorTerms generatorStep(Trainer aeTrainer, List<float[]> microBatches, int batch) {
    for (float[] images : microBatches) {
      if (images.length != batch * imageShape.size()) {
        throw new IllegalArgumentException("a micro-batch of " + batch + " images " + imageShape
            + " needs " + batch * imageShape.size() + " values, got " + images.length);
      }
    }
    return generatorStep(aeTrainer, microBatches);
  }

  /**
   * As {@link #generatorStep(Trainer, List, int)} with each micro-batch's size read from its length
   * (a driver's micro-batches can be smaller where unreadable rows were left out).
   */
  public GeneratorTerms generatorStep(Trainer aeTrainer, List<float[]> microBatches) {
    long step = aeTrainer.step();
    double factor = HingeLoss.discFactor(step, settings.discStart(), settings.discFactor());
    heldReal.clear();
    heldFake.clear();
    heldSizes.clear();
    heldStep = step;
    double[] sums = new double[5]; // rec, kl, perceptual, g, d
    List<LossFunction> losses = new ArrayList<>();
    for (float[] images : microBatches) {
      if (images.length == 0 || images.length % imageShape.size() != 0) {
        throw new IllegalArgumentException("a micro-batch of images " + imageShape + " needs a "
            + "positive multiple of " + imageShape.size() + " values, got " + images.length);
      }
      int batch = Math.toIntExact(images.length / imageShape.size());
      heldSizes.add(batch);
      losses.add(ctx -> generatorLoss(ctx, images, batch, factor, sums));
    }
    List<Module> others = factor > 0 ? List.of(disc) : List.of();
    Trainer.StepResult r = aeTrainer.step(losses, others, () -> { });
    int k = microBatches.size();
    return new GeneratorTerms(sums[0] / k, sums[1] / k, sums[2] / k, sums[3] / k, sums[4] / k,
        factor, r.loss(), r.gradNorm(), r.lr());
  }

  /**
   * One discriminator update on the inputs and reconstructions of the last
   * {@link #generatorStep}; does nothing and returns null while the adversarial terms are off
   * (before {@code discStart}: the hinge loss times 0 would give zero gradients).
   */
  public DiscriminatorTerms discriminatorStep(Trainer discTrainer) {
    if (heldStep < 0) {
      throw new IllegalStateException("discriminatorStep needs a generatorStep first");
    }
    double factor = HingeLoss.discFactor(heldStep, settings.discStart(), settings.discFactor());
    if (factor == 0) {
      return null;
    }
    double[] logits = new double[2];
    List<LossFunction> losses = new ArrayList<>();
    for (int i = 0; i < heldReal.size(); i++) {
      float[] real = heldReal.get(i);
      float[] fake = heldFake.get(i);
      int batch = heldSizes.get(i);
      losses.add(ctx -> {
        Shape s = batchShape(batch);
        NDArray realLogits = disc.forward(ctx, ctx.create(real, s));
        NDArray fakeLogits = disc.forward(ctx, ctx.create(fake, s));
        logits[0] += realLogits.mean().getFloat();
        logits[1] += fakeLogits.mean().getFloat();
        return Ops.scale(HingeLoss.discriminator(realLogits, fakeLogits), factor);
      });
    }
    Trainer.StepResult r = discTrainer.step(losses, List.of(), () -> { });
    int k = losses.size();
    heldStep = -1;
    return new DiscriminatorTerms(r.loss(), logits[0] / k, logits[1] / k, r.gradNorm(), r.lr());
  }

  private Shape batchShape(int batch) {
    return new Shape(batch, imageShape.get(0), imageShape.get(1), imageShape.get(2));
  }

  /** One micro-batch's generator loss (called by the trainer with autograd recording). */
  private NDArray generatorLoss(Ctx ctx, float[] images, int batch, double factor, double[] sums) {
    NDArray x = ctx.create(images, batchShape(batch));
    LatentPyramid q = ae.encode(ctx, x);
    PyramidDecoder.Output out = ae.decoder().forwardWithLastFeatures(ctx, q.sample(ctx, ctx.rng()));
    NDArray rec = out.image();
    heldReal.add(images);
    heldFake.add(rec.toFloatArray());
    long n = imageShape.size();
    NDArray kl = q.isGaussian() && settings.klWeight() > 0
        ? Ops.scale(q.kl(), settings.klWeight() / n) : rec.zerosLike().sum();
    sums[1] += kl.getFloat();
    if (factor == 0) {
      NDArray nll = nll(rec, x, sums);
      return nll.add(kl);
    }
    NDArray leaf;
    try (Autograd p = Autograd.pause()) {
      leaf = rec.stopGradient();
    }
    leaf.setRequiresGradient(true);
    double nllValue = backwardToLeaf(nll(leaf, x, sums), leaf);
    NDArray gradNll = leafGradient(leaf);
    NDArray gLoss = HingeLoss.generator(disc.forward(ctx, leaf));
    double g = backwardToLeaf(gLoss, leaf);
    NDArray gradG = leafGradient(leaf);
    double d = HingeLoss.adaptiveWeight(lastLayerGradNorm(out.lastFeatures(), gradNll),
        lastLayerGradNorm(out.lastFeatures(), gradG), settings.discWeight());
    sums[3] += g;
    sums[4] += d;
    NDArray seed;
    try (Autograd p = Autograd.pause()) {
      seed = gradNll.add(gradG.mul((float) (d * factor))); // no autograd: a plain scalar is safe
    }
    double total = nllValue + d * factor * g + kl.getFloat();
    // gradient: seed w.r.t. x' plus the KL's; value: the true total
    NDArray surrogate = rec.mul(seed).sum().add(kl);
    double offset = total - surrogate.getFloat();
    return surrogate.add((float) offset);
  }

  /** rec + perceptual terms on {@code rec}; adds their values to sums[0] and sums[2]. */
  private NDArray nll(NDArray rec, NDArray x, double[] sums) {
    NDArray diff = rec.sub(x);
    NDArray r = settings.reconstruction() == Reconstruction.L1 ? diff.abs().mean()
        : diff.square().mean();
    sums[0] += r.getFloat();
    if (settings.perceptualWeight() == 0) {
      return r;
    }
    NDArray p = Ops.scale(lpips.distance(rec, x).mean(), settings.perceptualWeight());
    sums[2] += p.getFloat();
    return r.add(p);
  }

  private static double backwardToLeaf(NDArray loss, NDArray leaf) {
    double v = loss.getFloat();
    Autograd.backward(loss);
    return v;
  }

  /** A copy of the leaf's gradient, then the gradient cleared for the next backward pass. */
  private static NDArray leafGradient(NDArray leaf) {
    NDArray g;
    try (Autograd p = Autograd.pause()) {
      g = Autograd.grad(leaf).duplicate();
    }
    Autograd.zeroGrad(leaf);
    return g;
  }

  /**
   * ||dL/dW|| of the decoder's last layer for dL/d(its output) = {@code outGrad}: the weight
   * gradient of a convolution of the (detached) features with a leaf copy of W.
   */
  private double lastLayerGradNorm(NDArray features, NDArray outGrad) {
    Conv2dLayer last = ae.decoder().lastLayer();
    NDArray w;
    NDArray f;
    try (Autograd p = Autograd.pause()) {
      w = last.weight().value().duplicate();
      f = features.stopGradient();
    }
    w.setRequiresGradient(true);
    int pad = (int) w.getShape().get(2) / 2;
    NDArray y = Conv2d.conv2d(f, w, null, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1)
        .singletonOrThrow();
    JniUtils.backward((PtNDArray) y, (PtNDArray) outGrad, false, false);
    try (Autograd p = Autograd.pause()) {
      return Math.sqrt(Autograd.grad(w).square().sum().getFloat());
    }
  }
}
