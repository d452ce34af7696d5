package org.pdm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network component with named parameters and named children, in the manner of
 * {@code torch.nn.Module}: {@link #parameters()} lists every tensor under its PyTorch-style dotted name
 * ({@code down.0.res.1.conv1.weight}), which is what checkpoints and the safetensors export use.
 *
 * <p>Why not DJL's {@code AbstractBlock}: a block there learns its parameter shapes only from
 * {@code initialize(inputShapes)}, children are initialised with the parent's input shape (a UNet must
 * override that everywhere), the 2K models would have to be allocated to be counted, and forward
 * passes take and return untyped {@code NDList}s. Here shapes are fixed at construction (counts are
 * free), allocation is a separate {@link #initialize} step, and each component has a typed
 * {@code forward} method. The tensors are ordinary DJL arrays and the ops are DJL's.
 */
public abstract class Module {
  private final Map<String, Param> params = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private NDManager manager;

  /** Registers a trainable parameter. */
  protected final Param param(String name, Shape shape, Init init) {
    return register(name, new Param(shape, init, true));
  }

  /** Registers a non-trained buffer (saved with the weights, never given a gradient). */
  protected final Param buffer(String name, Shape shape, Init init) {
    return register(name, new Param(shape, init, false));
  }

  private Param register(String name, Param p) {
    if (params.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException("duplicate name " + name + " in " + getClass().getSimpleName());
    }
    params.put(name, p);
    return p;
  }

  /** Registers a child module under {@code name} and returns it. */
  protected final <M extends Module> M child(String name, M module) {
    if (params.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException("duplicate name " + name + " in " + getClass().getSimpleName());
    }
    children.put(name, module);
    return module;
  }

  /** Direct children in registration order. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** Every parameter and buffer of this module and its descendants, by dotted name, in order. */
  public final Map<String, Param> parameters() {
    Map<String, Param> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Param> out) {
    for (Map.Entry<String, Param> e : params.entrySet()) {
      out.put(prefix + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Module> e : children.entrySet()) {
      e.getValue().collect(prefix + e.getKey() + ".", out);
    }
  }

  /** Trainable scalars (buffers excluded), computed from shapes: no allocation needed. */
  public final long numParameters() {
    long n = 0;
    for (Param p : parameters().values()) {
      if (p.trainable()) {
        n += p.size();
      }
    }
    return n;
  }

  /**
   * Allocates every parameter in {@code manager} (which then owns them: close it to free the model)
   * with values drawn from {@code Rng(seed)} in registration order, so the same seed gives the same
   * weights on any device.
   */
  public final void initialize(NDManager manager, long seed) {
    initialize(manager, seed, DataType.FLOAT32);
  }

  /**
   * As {@link #initialize(NDManager, long)} in {@code dtype} (float64 serves gradient checks; the
   * values are drawn as float32 and converted, so the seed gives the same weights).
   */
  public final void initialize(NDManager manager, long seed, DataType dtype) {
    Rng rng = new Rng(seed);
    for (Param p : parameters().values()) {
      p.allocate(manager, rng, dtype);
    }
    setManager(manager);
    afterInitialize();
  }

  /**
   * Called once every parameter of the tree is allocated, children first: for state derived from
   * the drawn weights (the spectral-norm vectors). Draws nothing from the seed's generator, so the
   * weights of every module stay what the seed gives.
   */
  protected void afterInitialize() {
    for (Module c : children.values()) {
      c.afterInitialize();
    }
  }

  private void setManager(NDManager m) {
    manager = m;
    for (Module c : children.values()) {
      c.setManager(m);
    }
  }

  /** The manager that owns the parameters (set by {@link #initialize}). */
  public final NDManager manager() {
    if (manager == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " is not initialized");
    }
    return manager;
  }

  /** The arrays of all parameters and buffers, in order. */
  public final List<NDArray> arrays() {
    List<NDArray> out = new ArrayList<>();
    for (Param p : parameters().values()) {
      out.add(p.value());
    }
    return out;
  }

  /** The trainable parameters by name, in order. */
  public final Map<String, Param> trainableParameters() {
    Map<String, Param> out = new LinkedHashMap<>();
    for (Map.Entry<String, Param> e : parameters().entrySet()) {
      if (e.getValue().trainable()) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }
}
