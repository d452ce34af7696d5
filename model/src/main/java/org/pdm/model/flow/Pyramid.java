package org.pdm.model.flow;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.Tensors;
import org.pdm.model.nn.Ops;

/** Element-wise helpers on pyramid states (lists of arrays with a common batch axis). */
public final class Pyramid {
  private Pyramid() {}

  /** a + s * b, level by level. */
  public static NDList axpy(NDList a, double s, NDList b) {
    NDList out = new NDList(a.size());
    for (int i = 0; i < a.size(); i++) {
      out.add(a.get(i).add(Ops.scale(b.get(i), s)));
    }
    return out;
  }

  /** a + sum_j c_j k_j (the Runge-Kutta stage combination); zero coefficients skipped. */
  public static NDList combine(NDList a, double h, double[] c, List<NDList> k) {
    NDList out = new NDList(a.size());
    for (int i = 0; i < a.size(); i++) {
      NDArray acc = a.get(i);
      for (int j = 0; j < c.length; j++) {
        if (c[j] != 0) {
          acc = acc.add(Ops.scale(k.get(j).get(i), h * c[j]));
        }
      }
      out.add(acc);
    }
    return out;
  }

  /** Standard normal arrays of the given shapes, drawn from {@code rng} (deterministic). */
  public static NDList normal(NDManager manager, List<Shape> shapes, Rng rng) {
    NDList out = new NDList(shapes.size());
    for (Shape s : shapes) {
      out.add(Tensors.create(manager, rng.normal(Math.toIntExact(s.size())), s));
    }
    return out;
  }

  /** All arrays of {@code list} (for {@link org.pdm.model.nn.StepScope#open}). */
  public static List<NDArray> arrays(NDList... lists) {
    List<NDArray> out = new java.util.ArrayList<>();
    for (NDList l : lists) {
      out.addAll(l);
    }
    return out;
  }

  /** Moves every array of {@code list} to {@code manager} (out of a closing step scope). */
  public static NDList keep(NDList list, NDManager manager) {
    for (NDArray a : list) {
      a.attach(manager);
    }
    return list;
  }

  /** Closes every array of {@code list}. */
  public static void close(NDList list) {
    for (NDArray a : list) {
      a.close();
    }
  }

  /** (B,) filled with t. */
  public static NDArray time(NDManager manager, long batch, double t) {
    return manager.full(new Shape(batch), (float) t);
  }
}
