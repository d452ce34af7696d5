package org.pdm.ingest.source;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.Settings;

/**
 * The metadata filters of {@code pdm.ingest.filter}.
 *
 * @param minAspect width / height lower bound, 0 for none
 * @param maxAspect width / height upper bound, 0 for none
 * @param licenses normalized license names allowed ({@link Licenses}); empty allows all
 */
public record FilterConfig(int minWidth, int minHeight, String orientation, double minAspect, double maxAspect,
    List<String> licenses, boolean photosOnly, List<String> formats) implements Serializable {

  public static final List<String> FORMATS = List.of("jpeg", "png", "webp", "gif", "bmp", "tiff");

  public FilterConfig {
    licenses = List.copyOf(licenses);
    formats = List.copyOf(formats);
  }

  /** No filter at all: every image passes. */
  public static FilterConfig none() {
    return new FilterConfig(0, 0, "any", 0, 0, List.of(), false, FORMATS);
  }

  /** An aspect bound: "" for none (0), else a number in (0, 100]. */
  private static double aspect(Settings s, String key) {
    String text = s.string(key).trim();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      double v = Double.parseDouble(text);
      if (v > 0 && v <= 100) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigError(s.key(key) + " = " + text + " is not allowed: write a ratio width / height above 0 and at "
        + "most 100 (such as 1.5), or \"\" for no bound");
  }

  public static FilterConfig from(Settings s) {
    double minAspect = aspect(s, "min-aspect");
    double maxAspect = aspect(s, "max-aspect");
    if (minAspect > 0 && maxAspect > 0 && minAspect > maxAspect) {
      throw new ConfigError(s.key("min-aspect") + " = " + minAspect + " is above " + s.key("max-aspect") + " = "
          + maxAspect + ": no image could pass; swap them or set one to 0");
    }
    List<String> licenses = s.stringList("licenses").stream().map(String::trim).toList();
    for (String l : licenses) {
      if (!Licenses.NAMES.contains(l)) {
        throw new ConfigError(s.key("licenses") + " has \"" + l + "\": use names from " + String.join(", ", Licenses.NAMES));
      }
    }
    List<String> formats = s.stringList("formats").stream().map(String::trim).toList();
    if (formats.isEmpty() || !Set.copyOf(FORMATS).containsAll(formats)) {
      throw new ConfigError(s.key("formats") + " = " + formats + " is not allowed: list one or more of " + String.join(", ", FORMATS));
    }
    return new FilterConfig(s.intIn("min-width", 0, 100_000), s.intIn("min-height", 0, 100_000),
        s.oneOf("orientation", "any", "landscape", "portrait", "square"), minAspect, maxAspect, licenses,
        s.bool("photos-only"), formats);
  }
}
