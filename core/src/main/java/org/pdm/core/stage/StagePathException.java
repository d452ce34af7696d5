package org.pdm.core.stage;

/**
 * A path given to a stage that it must not or cannot use: an output that holds someone else's files,
 * an unwritable one, or an input that is not what the stage reads. Raised before any work, with a
 * one-line message that names the path, what was found there and what is expected (exit code 2).
 */
public final class StagePathException extends RuntimeException {
  public StagePathException(String message) {
    super(message);
  }
}
