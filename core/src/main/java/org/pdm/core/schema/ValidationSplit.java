package org.pdm.core.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The held-out validation split, by id: a row is validation when the first 8 bytes of SHA-256 of
 * its UTF-8 id, read as an unsigned 64-bit number, fall below {@code fraction * 2^64}. Training,
 * {@code pdm eval recon} and notebooks share this rule, so an id is on the same side everywhere and
 * for ever (it depends on nothing but the id), whatever the file order or partitioning.
 */
public final class ValidationSplit {
  private final double fraction;

  public ValidationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
    }
    this.fraction = fraction;
  }

  public double fraction() {
    return fraction;
  }

  /** True when {@code id} belongs to the validation split. */
  public boolean isValidation(String id) {
    return unitHash(id) < fraction;
  }

  /** The id's hash as a number in [0, 1): the unsigned top 64 bits of SHA-256 divided by 2^64. */
  public static double unitHash(String id) {
    byte[] d = sha256().digest(id.getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    // Unsigned to double: the top 53 bits are exact, which is all a double comparison can use.
    return (v >>> 11) * 0x1.0p-53;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
