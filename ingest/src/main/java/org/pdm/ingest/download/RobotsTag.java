package org.pdm.ingest.download;

import java.util.List;
import java.util.Locale;

/**
 * The X-Robots-Tag check img2dataset does: a header line is {@code [agent:] directive, directive};
 * the response is dropped when a line for every agent (no agent named) or for our token carries
 * one of the configured directives (noai, noimageai, noindex, noimageindex).
 */
public final class RobotsTag {
  private final String token;
  private final List<String> directives;

  public RobotsTag(String token, List<String> directives) {
    this.token = token.toLowerCase(Locale.ROOT);
    this.directives = directives;
  }

  /** The directive that forbids us, or null. */
  public String forbidding(List<String> headerValues) {
    if (directives.isEmpty()) {
      return null;
    }
    for (String value : headerValues) {
      String[] parts = value.split(":", 2);
      String agent = parts.length == 2 ? parts[0].trim().toLowerCase(Locale.ROOT) : null;
      if (agent != null && !agent.equals(token)) {
        continue;
      }
      for (String d : parts[parts.length - 1].split(",")) {
        String directive = d.trim().toLowerCase(Locale.ROOT);
        if (directives.contains(directive)) {
          return (agent == null ? "" : agent + ": ") + directive;
        }
      }
    }
    return null;
  }
}
