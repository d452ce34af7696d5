package org.pdm.model.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pdm.model.Models;
import org.pdm.model.autoencoder.AutoEncoderLoss;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.flow.EulerSampler;
import org.pdm.model.flow.Pyramid;
import org.pdm.model.flow.RectifiedFlow;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.FlopCounter;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.train.LossFunction;
import org.pdm.model.train.TrainConfig;
import org.pdm.model.train.Trainer;
import org.pdm.model.unet.PyramidUNet;
import org.pdm.model.nn.Tensors;

/**
 * Measures a model config on the default device of the PyTorch engine: training steps/s at a batch,
 * sampling throughput, resident memory, and the achieved GFLOP/s of a training step against the
 * GFLOP/s of a large matrix product measured in the same run.
 *
 * <p>FLOPs of a training step: one forward pass is run with a {@link FlopCounter}, in which every
 * convolution counts 2*B*H*W*Cout*Cin*k*k, every linear layer 2*rows*in*out and every attention its
 * two batched products (spatial: 2*2*B*N^2*C, channel: 2*2*B*C^2*N; linear attention 2*2*B*d^2*N per
 * head); normalisation and pointwise ops are left out. The backward pass of a convolution or product
 * costs two forward passes (gradient of the input and of the weight), so a step counts 3x the forward
 * FLOPs. Sampling: a UNet runs Euler with {@code SAMPLE_STEPS} steps from noise (samples/s = batch /
 * time); an autoencoder decodes latents to images (images/s).
 */
public final class ModelBenchmark {
  /** Euler steps per sample in the sampling measurement (NFE per sample). */
  public static final int SAMPLE_STEPS = 10;
  private static final int MATMUL_N = 2048;

  private ModelBenchmark() {}

  /** The figures of one run. */
  public record Report(String config, String device, long parameters, int batch, int steps,
      double stepsPerSecond, double samplesPerSecond, double stepGflop, double achievedGflops,
      double matmulGflops, long rssMb, long peakRssMb) {}

  /** Runs the benchmark and prints a report to {@code out}. */
  public static Report run(Path modelConfig, int batch, int steps, PrintStream out) {
    if (batch < 1 || steps < 1) {
      throw new IllegalArgumentException("batch and steps must be >= 1");
    }
    ModelConfig config = ModelConfigs.load(modelConfig);
    Device device = Engine.getEngine("PyTorch").defaultDevice();
    try (NDManager root = NDManager.newBaseManager(device, "PyTorch")) {
      Module model = Models.build(config);
      model.initialize(root, 0);
      Trainer trainer = new Trainer(model, TrainConfig.defaults().withWarmup(0).withSeed(0));
      Rng data = new Rng(1);
      LossFunction loss = lossFor(model, config, batch, data);
      trainer.step(loss); // warm-up: allocator, kernels
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        trainer.step(loss);
      }
      double stepsPerSecond = steps / ((System.nanoTime() - t0) / 1e9);
      double forwardFlops = forwardFlops(model, config, batch);
      double stepGflop = 3 * forwardFlops / 1e9;
      double samplesPerSecond = sampling(model, config, batch);
      double matmul = matmulGflops(root);
      Report r = new Report(modelConfig.getFileName().toString(), device.toString(),
          model.numParameters(), batch, steps, stepsPerSecond, samplesPerSecond, stepGflop,
          stepGflop * stepsPerSecond, matmul, status("VmRSS"), status("VmHWM"));
      print(r, config, out);
      trainer.close();
      return r;
    }
  }

  private static LossFunction lossFor(Module model, ModelConfig config, int batch, Rng data) {
    if (model instanceof PyramidUNet net) {
      List<LevelSpec> levels = ((UNetConfig) config).levels();
      RectifiedFlow flow = new RectifiedFlow();
      return ctx -> {
        NDList z1 = new NDList();
        for (LevelSpec l : levels) {
          Shape s = new Shape(batch, l.channels(), l.height(), l.width());
          z1.add(ctx.create(data.normal((int) s.size()), s));
        }
        return flow.loss(z1, ctx.rng(), (zt, t) -> net.forward(ctx, zt, t));
      };
    }
    PyramidAutoEncoder ae = (PyramidAutoEncoder) model;
    AutoEncoderConfig c = (AutoEncoderConfig) config;
    Shape s = new Shape(batch, c.imageChannels(), c.imageHeight(), c.imageWidth());
    return ctx -> AutoEncoderLoss.compute(ctx, ae,
        ctx.create(data.uniform((int) s.size(), -1, 1), s), ctx.rng());
  }

  private static double forwardFlops(Module model, ModelConfig config, int batch) {
    FlopCounter counter = new FlopCounter();
    try (StepScope scope = StepScope.open(model)) {
      Ctx ctx = Ctx.eval(scope.manager()).withFlops(counter);
      Rng rng = new Rng(2);
      if (model instanceof PyramidUNet net) {
        NDList z = Pyramid.normal(scope.manager(), shapes((UNetConfig) config, batch), rng);
        net.forward(ctx, z, Pyramid.time(scope.manager(), batch, 0.5));
      } else {
        AutoEncoderConfig c = (AutoEncoderConfig) config;
        PyramidAutoEncoder ae = (PyramidAutoEncoder) model;
        Shape s = new Shape(batch, c.imageChannels(), c.imageHeight(), c.imageWidth());
        NDArray x = Tensors.create(scope.manager(), rng.normal((int) s.size()), s);
        ae.decode(ctx, ae.encode(ctx, x).mode());
      }
    }
    return counter.total();
  }

  private static List<Shape> shapes(UNetConfig c, int batch) {
    return c.levels().stream().map(l -> new Shape(batch, l.channels(), l.height(), l.width()))
        .toList();
  }

  private static double sampling(Module model, ModelConfig config, int batch) {
    try (NDManager m = model.manager().newSubManager()) {
      Rng rng = new Rng(3);
      if (model instanceof PyramidUNet net) {
        NDList z0 = Pyramid.normal(m, shapes((UNetConfig) config, batch), rng);
        long t0 = System.nanoTime();
        new EulerSampler(SAMPLE_STEPS, RectifiedFlow.EPS).sample(net.velocity(), z0).z().get(0)
            .getFloat(0, 0, 0, 0);
        return batch / ((System.nanoTime() - t0) / 1e9);
      }
      PyramidAutoEncoder ae = (PyramidAutoEncoder) model;
      List<Shape> shapes = ((AutoEncoderConfig) config).latents().stream()
          .map(l -> new Shape(batch, l.channels(), l.height(), l.width())).toList();
      NDList z = Pyramid.normal(m, shapes, rng);
      long t0 = System.nanoTime();
      try (StepScope scope = StepScope.open(ae)) {
        ae.decode(Ctx.eval(scope.manager()), z).getFloat(0, 0, 0, 0);
      }
      return batch / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /** GFLOP/s of an N x N float32 matrix product (2 N^3 FLOPs), best of 5 after a warm-up. */
  public static double matmulGflops(NDManager root) {
    try (NDManager m = root.newSubManager()) {
      Rng rng = new Rng(4);
      Shape s = new Shape(MATMUL_N, MATMUL_N);
      NDArray a = m.create(rng.normal((int) s.size()), s);
      NDArray b = m.create(rng.normal((int) s.size()), s);
      a.matMul(b).getFloat(0, 0);
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0); // forces completion on asynchronous devices
        }
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
      return 2.0 * Math.pow(MATMUL_N, 3) / best / 1e9;
    }
  }

  /** A value in MB from /proc/self/status ({@code VmRSS}, {@code VmHWM}), -1 if unavailable. */
  public static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static void print(Report r, ModelConfig config, PrintStream out) {
    String sampling = config instanceof UNetConfig
        ? String.format("%.3f samples/s (Euler, %d steps = NFE per sample)", r.samplesPerSecond(),
            SAMPLE_STEPS)
        : String.format("%.3f images/s decoded from latents", r.samplesPerSecond());
    out.printf("model config     %s (%s), %,d parameters%n", r.config(),
        config instanceof UNetConfig ? "pyramid UNet" : "pyramid autoencoder", r.parameters());
    out.printf("device           %s, batch %d, %d timed steps, intra-op threads %s%n", r.device(),
        r.batch(), r.steps(), System.getProperty("ai.djl.pytorch.num_threads", "default"));
    out.printf("training         %.3f steps/s (%.2f samples/s)%n", r.stepsPerSecond(),
        r.stepsPerSecond() * r.batch());
    out.printf("sampling         %s%n", sampling);
    out.printf("step FLOPs       %.2f GFLOP (3 x forward, counted from layer shapes)%n",
        r.stepGflop());
    out.printf("achieved         %.2f GFLOP/s vs %.2f GFLOP/s for a %dx%d matmul (%.1f%%)%n",
        r.achievedGflops(), r.matmulGflops(), MATMUL_N, MATMUL_N,
        100 * r.achievedGflops() / r.matmulGflops());
    out.printf("resident memory  %d MB now, %d MB peak%n", r.rssMb(), r.peakRssMb());
  }

  /** {@code ModelBenchmark --config FILE [--batch B] [--steps N]}. */
  public static void main(String[] args) {
    Path config = null;
    int batch = 8;
    int steps = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = Path.of(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; usage: --config FILE [--batch B] [--steps N]");
      }
    }
    if (config == null) {
      throw new IllegalArgumentException("--config is required");
    }
    run(config, batch, steps, System.out);
  }
}
