package org.pdm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-step memory rule (PLATFORM-NOTES, "Ownership"): an op's result belongs to the manager of
 * its left operand, so {@code weight.reshape(..)} would land in the model's long-lived manager and
 * leak on every step. A scope opens a sub-manager and moves the given long-lived arrays (weights,
 * optimizer moments, EMA) into it for the step, so that every result of the step lands there; on
 * close the arrays go back to their own managers and everything else of the step is freed.
 *
 * <p>Scopes nest (each restores what it moved). Because the arrays move, one model must not be used
 * by two threads at once: build one model per task/thread.
 */
public final class StepScope implements AutoCloseable {
  private final NDManager manager;
  private final List<NDArray> moved;
  private final List<NDManager> owners;

  private StepScope(NDManager parent, List<NDArray> longLived) {
    this.manager = parent.newSubManager();
    this.moved = new ArrayList<>(longLived);
    this.owners = new ArrayList<>(longLived.size());
    for (NDArray a : moved) {
      owners.add(a.getManager());
      a.attach(manager);
    }
  }

  /** Opens a scope under {@code parent}, moving {@code longLived} into it for its lifetime. */
  public static StepScope open(NDManager parent, List<NDArray> longLived) {
    return new StepScope(parent, longLived);
  }

  /** Opens a scope for one forward/backward of {@code module} (its arrays moved in). */
  public static StepScope open(Module module) {
    return new StepScope(module.manager(), module.arrays());
  }

  /** The step's manager. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    for (int i = 0; i < moved.size(); i++) {
      moved.get(i).attach(owners.get(i));
    }
    manager.close();
  }
}
