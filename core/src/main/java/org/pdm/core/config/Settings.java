package org.pdm.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Typed, range-checked reading of one configuration section. Each stage's typed config is built
 * through it, so that a value out of range stops the run with the key, the value and the allowed
 * range in one message.
 */
public final class Settings {
  private final Config config;
  private final String path;

  Settings(Config config, String path) {
    this.config = config;
    this.path = path;
  }

  /** The sub-section {@code key}. */
  public Settings section(String key) {
    return new Settings(config.getConfig(key), path + "." + key);
  }

  public boolean has(String key) {
    return config.hasPath(key);
  }

  /** The full key, for messages. */
  public String key(String key) {
    return path + "." + key;
  }

  public int intIn(String key, int min, int max) {
    long v = longIn(key, min, max);
    return (int) v;
  }

  public long longIn(String key, long min, long max) {
    long v;
    try {
      v = config.getLong(key);
    } catch (ConfigException.WrongType e) {
      throw new ConfigError(key(key) + " = " + raw(key) + " is not an integer");
    }
    if (v < min || v > max) {
      throw new ConfigError(key(key) + " = " + v + " is out of range: allowed " + min + " to " + max);
    }
    return v;
  }

  public double doubleIn(String key, double min, double max) {
    double v;
    try {
      v = config.getDouble(key);
    } catch (ConfigException.WrongType e) {
      throw new ConfigError(key(key) + " = " + raw(key) + " is not a number");
    }
    if (!(v >= min && v <= max)) {
      throw new ConfigError(key(key) + " = " + v + " is out of range: allowed " + min + " to " + max);
    }
    return v;
  }

  public boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException.WrongType e) {
      throw new ConfigError(key(key) + " = " + raw(key) + " is not a boolean: use true or false");
    }
  }

  public String string(String key) {
    return config.getString(key);
  }

  /** A non-empty string. */
  public String required(String key, String hint) {
    String v = config.getString(key).trim();
    if (v.isEmpty()) {
      throw new ConfigError(key(key) + " is empty: " + hint);
    }
    return v;
  }

  public String oneOf(String key, String... allowed) {
    String v = config.getString(key).trim();
    if (!Arrays.asList(allowed).contains(v)) {
      throw new ConfigError(key(key) + " = \"" + v + "\" is not allowed: use one of " + String.join(", ", allowed));
    }
    return v;
  }

  public List<String> stringList(String key) {
    return config.getStringList(key);
  }

  public Duration duration(String key, Duration min, Duration max) {
    Duration d;
    try {
      d = config.getDuration(key);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      throw new ConfigError(key(key) + " = " + raw(key) + " is not a duration: write it as 500ms, 10s or 2m");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ConfigError(key(key) + " = " + raw(key) + " is out of range: allowed " + min + " to " + max);
    }
    return d;
  }

  /** A size written {@code WIDTHxHEIGHT}, each side within [min, max]. */
  public int[] size(String key, int min, int max) {
    return Sizes.parse(config.getString(key), key(key), min, max);
  }

  private String raw(String key) {
    return config.getValue(key).render();
  }
}
