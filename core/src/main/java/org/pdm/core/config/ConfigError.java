package org.pdm.core.config;

/**
 * A configuration or argument that cannot be run: raised before any Spark work, with a message that
 * names the key, the value given and what is allowed, so the user can fix it without reading code.
 */
public final class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }
}
