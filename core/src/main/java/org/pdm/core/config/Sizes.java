package org.pdm.core.config;

/** Parses {@code WIDTHxHEIGHT}, as used by config keys and command-line flags. */
public final class Sizes {
  private Sizes() {}

  /** @return {width, height} */
  public static int[] parse(String text, String what, int min, int max) {
    String[] parts = text.trim().toLowerCase().split("x");
    try {
      if (parts.length == 2) {
        int w = Integer.parseInt(parts[0].trim());
        int h = Integer.parseInt(parts[1].trim());
        if (w < min || h < min || w > max || h > max) {
          throw new ConfigError(what + " = " + text + " is out of range: each side from " + min + " to " + max);
        }
        return new int[] {w, h};
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new ConfigError(what + " = \"" + text + "\" is not a size: write WIDTHxHEIGHT, for example 2048x1024");
  }
}
