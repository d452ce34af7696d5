package org.pdm.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pdm.model.nn.Autograd;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Tensors;

/**
 * Adam / AdamW (Kingma and Ba; Loshchilov and Hutter) whose state (first and second moments per
 * parameter and the step count) is plain named arrays, so that a checkpoint can save and restore it
 * (DJL's optimizers keep theirs private). Updates run in place with autograd paused:
 * <pre>
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   p -= lr * wd * p;  p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 */
public final class Adam {
  private final Map<String, Param> params;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private long step;

  /** Moments for {@code params} (name to trainable parameter), zero, allocated in {@code manager}. */
  public Adam(Map<String, Param> params, NDManager manager, double beta1, double beta2, double eps,
      double weightDecay) {
    this.params = params;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    for (Map.Entry<String, Param> e : params.entrySet()) {
      NDArray p = e.getValue().value();
      m.put(e.getKey(), manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
      v.put(e.getKey(), manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
    }
  }

  /** Number of updates done. */
  public long step() {
    return step;
  }

  /**
   * One update with learning rate {@code lr}, every gradient multiplied by {@code gradScale} first
   * (1/accumulation and clipping folded in).
   */
  public void update(double lr, double gradScale) {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    try (Autograd g = Autograd.pause()) {
      for (Map.Entry<String, Param> e : params.entrySet()) {
        NDArray p = e.getValue().value();
        NDArray grad = Autograd.grad(p).mul((float) gradScale);
        NDArray mi = m.get(e.getKey());
        NDArray vi = v.get(e.getKey());
        mi.muli((float) beta1).addi(grad.mul((float) (1 - beta1)));
        vi.muli((float) beta2).addi(grad.square().mul((float) (1 - beta2)));
        if (weightDecay > 0) {
          p.subi(p.mul((float) (lr * weightDecay)));
        }
        NDArray denom = vi.div((float) bc2).sqrt().add((float) eps);
        p.subi(mi.div((float) bc1).div(denom).mul((float) lr));
      }
    }
  }

  /** The moment arrays (for step scopes). */
  public List<NDArray> arrays() {
    List<NDArray> out = new ArrayList<>(m.values());
    out.addAll(v.values());
    return out;
  }

  /** State as named arrays: {@code m.<param>} and {@code v.<param>}. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    m.forEach((k, a) -> out.put("m." + k, a));
    v.forEach((k, a) -> out.put("v." + k, a));
    return out;
  }

  /** Restores moments (from {@link #state()} names) and the step count. */
  public void load(Map<String, SafeTensors.Tensor> state, long steps) {
    try (Autograd g = Autograd.pause()) {
      for (Map.Entry<String, NDArray> e : state().entrySet()) {
        SafeTensors.Tensor t = state.get(e.getKey());
        if (t == null || !t.shape().equals(e.getValue().getShape())) {
          throw new IllegalArgumentException("optimizer state lacks or mis-shapes " + e.getKey());
        }
        Tensors.copyInto(t.data(), e.getValue());
      }
    }
    this.step = steps;
  }
}
