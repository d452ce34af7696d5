package org.pdm.core.config;

import java.util.List;

/** The presets shipped under conf/ (and inside the jar), by name. */
public final class Presets {
  private static final List<String> NAMES = List.of("demo", "scapes2k", "people2k");

  private Presets() {}

  public static List<String> names() {
    return NAMES;
  }
}
