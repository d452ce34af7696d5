package org.pdm.preprocess.decode;

/**
 * An image that cannot or must not be decoded. Not an error of the run: the caller turns it into a
 * reject row with {@link #reason()} and the message as details.
 */
public final class DecodeException extends Exception {
  private final String reason;

  public DecodeException(String reason, String details) {
    super(details);
    this.reason = reason;
  }

  /** unsupported-format, too-large or decode-error. */
  public String reason() {
    return reason;
  }
}
