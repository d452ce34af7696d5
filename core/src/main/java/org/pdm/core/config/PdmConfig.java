package org.pdm.core.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The whole run's configuration: the documented defaults ({@code conf/application.conf}, bundled in
 * the jar), then a preset or file ({@code --conf}), then {@code -Dpdm.*} properties, then
 * {@code key=value} arguments, the last one winning. Every key is checked against the defaults when
 * loaded ({@link ConfigSchema}); ranges are checked by each stage's typed config through
 * {@link Settings}. Both happen before any Spark work starts.
 */
public final class PdmConfig {
  /** Where the defaults and presets live inside the jar (copied from conf/ at build time). */
  public static final String RESOURCE_DIR = "pdm-conf/";

  private static final ObjectMapper SORTED_JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Config root;
  private final String source;

  private PdmConfig(Config root, String source) {
    this.root = root;
    this.source = source;
  }

  /** Defaults only: what tests and library users start from. */
  public static PdmConfig defaults() {
    return load(null, List.of(), new Properties());
  }

  /**
   * @param confFileOrPreset a HOCON file path or a preset name under conf/ ({@code demo},
   *     {@code scapes2k}, ...), or null
   * @param overrides {@code key=value} arguments; keys may omit the leading {@code pdm.}
   * @param systemProperties the JVM's properties, of which {@code pdm.*} are taken
   */
  public static PdmConfig load(String confFileOrPreset, List<String> overrides, Properties systemProperties) {
    Config defaults = parseResource("application.conf");
    Config merged = defaults;
    String source = "defaults";
    if (confFileOrPreset != null && !confFileOrPreset.isBlank()) {
      merged = parsePreset(confFileOrPreset).withFallback(merged);
      source = confFileOrPreset;
    }
    merged = fromProperties(systemProperties).withFallback(merged);
    merged = fromOverrides(overrides).withFallback(merged);
    try {
      merged = merged.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
    } catch (ConfigException e) {
      throw new ConfigError("configuration cannot be resolved: " + e.getMessage());
    }
    new ConfigSchema(defaults).check(merged);
    return new PdmConfig(merged, source);
  }

  /** Returns this configuration with more {@code key=value} overrides on top, checked again. */
  public PdmConfig with(String... overrides) {
    Config merged = fromOverrides(List.of(overrides)).withFallback(root).resolve();
    new ConfigSchema(parseResource("application.conf")).check(merged);
    return new PdmConfig(merged, source);
  }

  /** Typed, range-checked access to the section {@code pdm.<name>} (or the root for ""). */
  public Settings settings(String section) {
    String path = section.isEmpty() ? "pdm" : "pdm." + section;
    return new Settings(root.getConfig(path), path);
  }

  public Config raw() {
    return root;
  }

  /** Where the configuration came from, for messages and manifests. */
  public String source() {
    return source;
  }

  /** A section as JSON with sorted keys: stable across runs, so it can be hashed for skip decisions. */
  public String sectionJson(String section) {
    Map<String, Object> tree = root.getConfig("pdm." + section).root().unwrapped();
    try {
      return SORTED_JSON.writeValueAsString(tree);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The whole pdm tree rendered as HOCON, for {@code pdm config show}. */
  public String render() {
    return root.getConfig("pdm").atKey("pdm").root().render(
        com.typesafe.config.ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  static Config parseResource(String name) {
    URL url = PdmConfig.class.getClassLoader().getResource(RESOURCE_DIR + name);
    if (url == null) {
      throw new IllegalStateException("missing " + RESOURCE_DIR + name + " on the class path: the jar was built without conf/");
    }
    return ConfigFactory.parseURL(url, ConfigParseOptions.defaults().setAllowMissing(false));
  }

  private static Config parsePreset(String nameOrFile) {
    File file = new File(nameOrFile);
    try {
      if (file.isFile()) {
        return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
      }
      String preset = nameOrFile.endsWith(".conf") ? nameOrFile : nameOrFile + ".conf";
      if (!preset.contains("/") && PdmConfig.class.getClassLoader().getResource(RESOURCE_DIR + preset) != null
          && !preset.equals("application.conf")) {
        return parseResource(preset);
      }
    } catch (ConfigException e) {
      throw new ConfigError("cannot read --conf " + nameOrFile + ": " + e.getMessage());
    }
    throw new ConfigError("--conf " + nameOrFile + ": no such file, and not a preset; presets: " + String.join(", ", Presets.names()));
  }

  private static Config fromProperties(Properties props) {
    Properties pdm = new Properties();
    for (String name : props.stringPropertyNames()) {
      if (name.startsWith("pdm.")) {
        pdm.setProperty(name, props.getProperty(name));
      }
    }
    return ConfigFactory.parseProperties(pdm);
  }

  private static final java.util.regex.Pattern LITERAL =
      java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|true|false|yes|no|on|off");

  /**
   * Numbers, booleans, lists, objects and quoted strings are parsed as HOCON; anything else is taken
   * as a plain string, so that {@code in=file:///data/x} is not cut at HOCON's {@code //} comment.
   */
  private static Config parseOverride(String key, String value, String arg) {
    boolean hocon = value.startsWith("\"") || value.startsWith("[") || value.startsWith("{")
        || LITERAL.matcher(value).matches();
    if (!hocon) {
      return ConfigFactory.parseMap(Map.of(key, value));
    }
    try {
      return ConfigFactory.parseString(key + " = " + value, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
    } catch (ConfigException e) {
      throw new ConfigError("argument '" + arg + "' cannot be parsed: " + e.getMessage());
    }
  }

  static Config fromOverrides(List<String> overrides) {
    Config result = ConfigFactory.empty();
    for (String arg : overrides) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new ConfigError("argument '" + arg + "' is not key=value (for example synth.count=10)");
      }
      String key = arg.substring(0, eq).trim();
      String value = arg.substring(eq + 1).trim();
      if (!key.startsWith("pdm.")) {
        key = "pdm." + key;
      }
      result = parseOverride(key, value, arg).withFallback(result);
    }
    return result;
  }
}
