package org.pdm.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Tensors;

/**
 * Exponential moving average of a model's weights (shadow = d * shadow + (1 - d) * weight after every
 * optimizer step); buffers such as the spectral-norm u are copied as they are. Sample with the EMA
 * weights by {@link #copyTo} into a second model of the same config.
 */
public final class Ema {
  private final Map<String, Param> params;
  private final Map<String, NDArray> shadow = new LinkedHashMap<>();

  public Ema(Module model, NDManager manager) {
    this.params = model.parameters();
    try (Autograd g = Autograd.pause()) {
      for (Map.Entry<String, Param> e : params.entrySet()) {
        NDArray copy = e.getValue().value().duplicate();
        copy.attach(manager);
        shadow.put(e.getKey(), copy);
      }
    }
  }

  /** shadow = decay * shadow + (1 - decay) * weights. */
  public void update(double decay) {
    try (Autograd g = Autograd.pause()) {
      for (Map.Entry<String, Param> e : params.entrySet()) {
        NDArray s = shadow.get(e.getKey());
        NDArray p = e.getValue().value();
        if (e.getValue().trainable()) {
          s.muli((float) decay).addi(p.mul((float) (1 - decay)));
        } else {
          Tensors.copyInto(p, s);
        }
      }
    }
  }

  /** The shadow weights by parameter name. */
  public Map<String, NDArray> weights() {
    return java.util.Collections.unmodifiableMap(shadow);
  }

  public List<NDArray> arrays() {
    return new ArrayList<>(shadow.values());
  }

  /** Copies the shadow weights into {@code target} (same architecture). */
  public void copyTo(Module target) {
    Map<String, Param> tp = target.parameters();
    for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
      tp.get(e.getKey()).set(e.getValue().toFloatArray());
    }
  }

  /** Restores the shadow weights. */
  public void load(Map<String, SafeTensors.Tensor> state) {
    try (Autograd g = Autograd.pause()) {
      for (Map.Entry<String, NDArray> e : shadow.entrySet()) {
        SafeTensors.Tensor t = state.get(e.getKey());
        if (t == null || !t.shape().equals(e.getValue().getShape())) {
          throw new IllegalArgumentException("EMA state lacks or mis-shapes " + e.getKey());
        }
        Tensors.copyInto(t.data(), e.getValue());
      }
    }
  }
}
