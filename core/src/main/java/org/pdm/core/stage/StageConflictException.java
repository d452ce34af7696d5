package org.pdm.core.stage;

/** Another run is writing the same output at this moment. */
public final class StageConflictException extends RuntimeException {
  public StageConflictException(String message) {
    super(message);
  }
}
