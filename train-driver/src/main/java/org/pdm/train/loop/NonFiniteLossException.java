package org.pdm.train.loop;

import java.util.List;

/** A NaN or infinite loss: the run stops at once, naming the step, the batch and the last good checkpoint. */
public final class NonFiniteLossException extends RuntimeException {
  private final long step;
  private final List<String> ids;

  public NonFiniteLossException(long step, double loss, List<String> ids, String lastCheckpoint) {
    super("loss is " + loss + " at step " + step + " on the batch of ids " + shown(ids) + "; the last good checkpoint is "
        + (lastCheckpoint == null ? "none (no checkpoint was written yet)" : lastCheckpoint)
        + ": lower the learning rate or check those rows, then --resume from it");
    this.step = step;
    this.ids = List.copyOf(ids);
  }

  public long step() {
    return step;
  }

  public List<String> ids() {
    return ids;
  }

  private static String shown(List<String> ids) {
    return ids.size() <= 32 ? ids.toString() : ids.subList(0, 32) + " and " + (ids.size() - 32) + " more";
  }
}
