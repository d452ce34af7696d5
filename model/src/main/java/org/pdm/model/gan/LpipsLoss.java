package org.pdm.model.gan;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The perceptual distance LPIPS from a TorchScript file the user supplies (nothing is downloaded):
 * {@code forward(x, y)} with x, y (B, 3, H, W) in [-1, 1] giving one distance per sample, in any
 * shape with B elements (LPIPS gives (B, 1, 1, 1)). For example, from the {@code lpips} package:
 * {@code torch.jit.trace(lpips.LPIPS(net="vgg").eval(), (x, y)).save("lpips-vgg.pt")}.
 *
 * <p>Gradients reach x through the TorchScript module: its weights are loaded as ordinary tensors
 * and frozen (requires_grad off, so they collect no gradients), the module kept in eval mode
 * (LPIPS's dropout off), and the forward runs with libtorch's grad mode as the caller has it:
 * DJL's {@code PtSymbolBlock.forward} would switch the module to training mode to record autograd,
 * so it is called through {@link IValueUtils#forward(PtSymbolBlock, NDList, boolean)} directly.
 * Thread-safe for concurrent forwards (libtorch modules are); close it to free the weights.
 */
public final class LpipsLoss implements AutoCloseable {
  private final NDManager manager;
  private final PtSymbolBlock module;
  private final Path file;

  private LpipsLoss(NDManager manager, PtSymbolBlock module, Path file) {
    this.manager = manager;
    this.module = module;
    this.file = file;
  }

  /** Loads {@code file} onto {@code device}; a clear error if it is missing or not TorchScript. */
  public static LpipsLoss load(Path file, Device device) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("LPIPS TorchScript file " + file + " does not exist; the "
          + "perceptual loss needs a TorchScript LPIPS that you supply (none is downloaded), or set "
          + "the perceptual weight to 0");
    }
    NDManager manager = NDManager.newBaseManager(device, "PyTorch");
    try {
      // trainParam = true: with false, libtorch loads the weights as inference tensors, which
      // autograd refuses to save ("Inference tensors cannot be saved for backward"), so no
      // gradient could reach x; the weights are then frozen by hand instead.
      PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0],
          new String[0], true);
      for (NDArray p : JniUtils.moduleGetParams(block, (PtNDManager) manager)) {
        p.setRequiresGradient(false);
      }
      JniUtils.enableInferenceMode(block); // eval(): LPIPS's dropout off
      return new LpipsLoss(manager, block, file);
    } catch (RuntimeException e) {
      manager.close();
      throw new IllegalArgumentException("LPIPS file " + file + " is not a TorchScript module "
          + "libtorch can load: " + e.getMessage(), e);
    }
  }

  /**
   * Distances (B,) between x and y, (B, 3, H, W) in [-1, 1]; differentiable in both when autograd
   * records. The result lives in x's manager.
   */
  public NDArray distance(NDArray x, NDArray y) {
    long b = x.getShape().get(0);
    // TorchScript's executor optimises a graph after its first runs (fusion, specialisation), which
    // changes float rounding: a run resumed in a new JVM would then not equal a straight one bit for
    // bit. Off on this thread (libtorch keeps the flag per thread), every call runs the same graph.
    JniUtils.setGraphExecutorOptimize(false);
    NDList out = IValueUtils.forward(module, new NDList(x, y), true);
    NDArray d = out.singletonOrThrow();
    if (d.getShape().size() != b) {
      throw new IllegalStateException("LPIPS file " + file + " gave shape " + d.getShape()
          + " for a batch of " + b + "; expected one distance per sample");
    }
    return d.reshape(b);
  }

  @Override
  public void close() {
    module.close();
    manager.close();
  }
}
