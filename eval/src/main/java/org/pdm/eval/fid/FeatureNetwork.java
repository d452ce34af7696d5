package org.pdm.eval.fid;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A TorchScript feature extractor with the FID Inception's signature,
 * {@code forward(img: NCHW, return_features: bool)}: the file clean-fid and StyleGAN2-ADA use
 * ({@code inception-2015-12-05.pt}), or a stand-in with the same signature. It takes uint8 pictures
 * of any size and resizes them inside (clean-fid's {@code legacy_tensorflow} mode), or float32
 * pictures in [0, 255] already at its input size (the {@code clean} mode, resized by
 * {@link CleanResize}; the network's own resampling grid is then the identity).
 */
public final class FeatureNetwork implements AutoCloseable {
  private final ZooModel<NDList, NDList> model;
  private final PtSymbolBlock block;

  private FeatureNetwork(ZooModel<NDList, NDList> model) {
    this.model = model;
    this.block = (PtSymbolBlock) model.getBlock();
  }

  /** Loads a local {@code .pt} file on {@code device}. */
  public static FeatureNetwork load(Path file, Device device) throws IOException {
    String name = file.getFileName().toString();
    try {
      Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
          .optModelPath(file.toAbsolutePath().getParent())
          .optModelName(name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name)
          .optEngine("PyTorch").optDevice(device).build();
      return new FeatureNetwork(criteria.loadModel());
    } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
      throw new IOException("cannot load the feature extractor " + file + " as TorchScript: " + e.getMessage()
          + " (pdm.eval.inception must name a TorchScript file with forward(img, return_features), such as "
          + "inception-2015-12-05.pt from pdm eval fetch-inception)", e);
    }
  }

  /** Features of {@code n} uint8 pictures, NCHW bytes; returns (n, d). */
  public float[][] features(byte[] nchw, int n, int height, int width) {
    try (NDManager m = model.getNDManager().newSubManager()) {
      ByteBuffer buf = ByteBuffer.allocateDirect(nchw.length);
      buf.put(nchw).flip();
      return run(m, m.create(buf, new Shape(n, 3, height, width), DataType.UINT8), n);
    }
  }

  /** Features of {@code n} float32 pictures in [0, 255], NCHW; returns (n, d). */
  public float[][] features(float[] nchw, int n, int height, int width) {
    try (NDManager m = model.getNDManager().newSubManager()) {
      return run(m, m.create(nchw, new Shape(n, 3, height, width)), n);
    }
  }

  private float[][] run(NDManager m, ai.djl.ndarray.NDArray x, int n) {
    try (IValue img = IValue.from((PtNDArray) x); IValue flag = IValue.from(true);
        IValue out = block.forward(img, flag)) {
      PtNDArray f = out.toTensor((PtNDManager) m);
      long d = f.getShape().size() / n;
      float[] flat = f.toType(DataType.FLOAT32, false).toFloatArray();
      float[][] rows = new float[n][];
      for (int i = 0; i < n; i++) {
        rows[i] = java.util.Arrays.copyOfRange(flat, (int) (i * d), (int) ((i + 1) * d));
      }
      return rows;
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
