package org.pdm.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a merged configuration against the documented defaults: every key must exist there and
 * have the same kind of value (an integer where the default is an integer, and so on). An empty
 * object in the defaults (such as {@code pdm.spark.conf}) is free-form and takes any keys.
 */
final class ConfigSchema {
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
  private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "on", "off");

  private static final Pattern DECIMAL_TEXT = Pattern.compile("^\\s*-?\\d*\\.\\d|^\\s*-?\\d+[eE]");

  private final Config defaults;
  private final Map<String, List<String>> sourceLines = new java.util.HashMap<>();
  private final Set<String> knownPaths = new TreeSet<>();

  ConfigSchema(Config defaults) {
    this.defaults = defaults;
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      knownPaths.add(e.getKey());
    }
  }

  void check(Config merged) {
    for (Map.Entry<String, ConfigValue> e : merged.entrySet()) {
      String path = e.getKey();
      if (!path.startsWith("pdm.") || isFreeForm(path)) {
        continue;
      }
      if (!defaults.hasPathOrNull(path)) {
        throw new ConfigError("unknown configuration key '" + path + "'" + suggestion(path)
            + "; every key is listed, with its default, in conf/application.conf");
      }
      checkType(path, defaults.getValue(path), e.getValue());
    }
  }

  private boolean isFreeForm(String path) {
    List<String> parts = ConfigUtil.splitPath(path);
    for (int n = parts.size() - 1; n > 0; n--) {
      String prefix = ConfigUtil.joinPath(parts.subList(0, n));
      if (defaults.hasPath(prefix)) {
        ConfigValue v = defaults.getValue(prefix);
        if (v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  private void checkType(String path, ConfigValue expected, ConfigValue actual) {
    String text = String.valueOf(actual.unwrapped());
    switch (expected.valueType()) {
      case NUMBER -> {
        boolean integral = !isDecimal(expected);
        Pattern allowed = integral ? INTEGER : NUMBER;
        if (actual.valueType() == ConfigValueType.OBJECT || actual.valueType() == ConfigValueType.LIST
            || !allowed.matcher(text.trim()).matches()) {
          throw new ConfigError(path + " = " + actual.render() + " is not " + (integral ? "an integer" : "a number")
              + " (default: " + expected.render() + ")");
        }
      }
      case BOOLEAN -> {
        if (!BOOLEANS.contains(text.trim().toLowerCase())) {
          throw new ConfigError(path + " = " + actual.render() + " is not a boolean: use true or false");
        }
      }
      case LIST -> {
        if (actual.valueType() != ConfigValueType.LIST) {
          throw new ConfigError(path + " = " + actual.render() + " is not a list: write it as [a, b] (default: "
              + expected.render() + ")");
        }
      }
      case STRING -> {
        if (actual.valueType() == ConfigValueType.OBJECT || actual.valueType() == ConfigValueType.LIST) {
          throw new ConfigError(path + " = " + actual.render() + " is not a single value (default: " + expected.render() + ")");
        }
      }
      default -> { }
    }
  }

  /**
   * Whether a default is written as a decimal. Typesafe Config stores {@code 1.0} as the integer 1
   * and forgets the text, so the default's own line in application.conf is read to tell.
   */
  private boolean isDecimal(ConfigValue v) {
    if (!(v.unwrapped() instanceof Integer || v.unwrapped() instanceof Long)) {
      return true;
    }
    var origin = v.origin();
    if (origin.url() == null || origin.lineNumber() < 1) {
      return false;
    }
    List<String> lines = sourceLines.computeIfAbsent(origin.url().toString(), u -> {
      try (var in = origin.url().openStream()) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
      } catch (java.io.IOException e) {
        return List.of();
      }
    });
    if (origin.lineNumber() > lines.size()) {
      return false;
    }
    String line = lines.get(origin.lineNumber() - 1);
    int eq = Math.max(line.indexOf('='), line.indexOf(':'));
    return DECIMAL_TEXT.matcher(eq >= 0 ? line.substring(eq + 1) : line).find();
  }

  private String suggestion(String path) {
    String best = knownPaths.stream()
        .min(Comparator.comparingInt(p -> distance(p, path)))
        .orElse(null);
    return best != null && distance(best, path) <= Math.max(3, path.length() / 4) ? " (did you mean '" + best + "'?)" : "";
  }

  private static int distance(String a, String b) {
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
}
