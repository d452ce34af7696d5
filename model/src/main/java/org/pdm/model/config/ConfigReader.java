package org.pdm.model.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of a {@code model} block with errors that name the full key and say what is expected,
 * e.g. {@code model.channel-mult: expected a list of positive integers}. Every key asked for is
 * remembered, so that {@link #refuseUnknown()} can reject the rest: a typo such as
 * {@code dropout.lowst} would otherwise silently leave the default in place.
 */
final class ConfigReader {
  private final Config c;
  private final String prefix;
  private final Set<String> known = new TreeSet<>();

  ConfigReader(Config c, String prefix) {
    this.c = c;
    this.prefix = prefix;
  }

  IllegalArgumentException error(String key, String message) {
    return new IllegalArgumentException(prefix + key + ": " + message);
  }

  boolean has(String key) {
    known.add(key);
    return c.hasPath(key);
  }

  /** Declares a key read elsewhere (e.g. {@code type}). */
  void allow(String key) {
    known.add(key);
  }

  /** Throws for the first key of the block that no read asked for, with the closest known key. */
  void refuseUnknown() {
    for (String key : new TreeSet<>(c.entrySet().stream().map(e -> e.getKey()).toList())) {
      if (!known.contains(key)) {
        String best = known.stream().min(Comparator.comparingInt(k -> distance(k, key))).orElse("");
        throw error(key, distance(best, key) <= Math.max(3, key.length() / 4)
            ? "unknown key (did you mean " + prefix + best + "?)"
            : "unknown key; the known keys are " + known);
      }
    }
  }

  /** Levenshtein distance (as core's ConfigSchema; model does not depend on core). */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  int positiveInt(String key) {
    int v = wrap(key, "an integer", () -> c.getInt(key));
    if (v <= 0) {
      throw error(key, "must be > 0, got " + v);
    }
    return v;
  }

  int positiveInt(String key, int dflt) {
    return has(key) ? positiveInt(key) : dflt;
  }

  double fraction(String key, double dflt) {
    double v = has(key) ? wrap(key, "a number", () -> c.getDouble(key)) : dflt;
    if (v < 0 || v >= 1) {
      throw error(key, "must be in [0, 1), got " + v);
    }
    return v;
  }

  double nonNegative(String key, double dflt) {
    double v = has(key) ? wrap(key, "a number", () -> c.getDouble(key)) : dflt;
    if (v < 0) {
      throw error(key, "must be >= 0, got " + v);
    }
    return v;
  }

  boolean bool(String key, boolean dflt) {
    return has(key) ? wrap(key, "true or false", () -> c.getBoolean(key)) : dflt;
  }

  String string(String key, String dflt) {
    return has(key) ? wrap(key, "a string", () -> c.getString(key)) : dflt;
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E dflt) {
    if (!has(key)) {
      return dflt;
    }
    String v = string(key, null);
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase().replace('_', '-'));
    }
    throw error(key, "must be one of " + names + ", got \"" + v + "\"");
  }

  List<Integer> positiveInts(String key) {
    List<Integer> v = wrap(key, "a list of positive integers", () -> c.getIntList(key));
    for (int x : v) {
      if (x <= 0) {
        throw error(key, "expected a list of positive integers, got " + v);
      }
    }
    return v;
  }

  List<Integer> positiveIntsOrEmpty(String key) {
    return has(key) ? positiveInts(key) : List.of();
  }

  /** An int or a list of ints of length {@code n} ({@code lengthKey} names the list it must match). */
  List<Integer> intOrList(String key, int n, String lengthKey) {
    if (!has(key)) {
      throw error(key, "missing");
    }
    if (c.getValue(key).valueType() == com.typesafe.config.ConfigValueType.LIST) {
      List<Integer> v = positiveInts(key);
      if (v.size() != n) {
        throw error(key, "has " + v.size() + " entries but " + prefix + lengthKey + " has " + n
            + "; give one per entry or a single number");
      }
      return v;
    }
    int one = positiveInt(key);
    List<Integer> v = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      v.add(one);
    }
    return v;
  }

  /** Parallel lists {@code sizesKey} ([[h, w], ...]) and {@code channelsKey} ([c, ...]). */
  List<LevelSpec> levels(String sizesKey, String channelsKey) {
    List<? extends List<?>> sizes = wrap(sizesKey, "a list of [height, width] pairs",
        () -> c.getAnyRefList(sizesKey).stream().map(o -> (List<?>) o).toList());
    List<Integer> channels = positiveInts(channelsKey);
    if (sizes.isEmpty()) {
      throw error(sizesKey, "needs at least one level");
    }
    if (sizes.size() != channels.size()) {
      throw error(channelsKey, "has " + channels.size() + " entries but " + prefix + sizesKey
          + " has " + sizes.size() + "; give one channel count per latent level");
    }
    List<LevelSpec> out = new ArrayList<>();
    for (int i = 0; i < sizes.size(); i++) {
      List<?> hw = sizes.get(i);
      if (hw.size() != 2 || !(hw.get(0) instanceof Number) || !(hw.get(1) instanceof Number)
          || ((Number) hw.get(0)).intValue() <= 0 || ((Number) hw.get(1)).intValue() <= 0) {
        throw error(sizesKey, "entry " + i + " must be [height, width] of positive integers, got "
            + hw);
      }
      out.add(new LevelSpec(((Number) hw.get(0)).intValue(), ((Number) hw.get(1)).intValue(),
          channels.get(i)));
    }
    return out;
  }

  private <T> T wrap(String key, String expected, java.util.function.Supplier<T> get) {
    known.add(key);
    try {
      return get.get();
    } catch (ConfigException.Missing e) {
      throw error(key, "missing (expected " + expected + ")");
    } catch (ConfigException | ClassCastException e) {
      throw error(key, "expected " + expected + " (" + e.getMessage() + ")");
    }
  }
}
