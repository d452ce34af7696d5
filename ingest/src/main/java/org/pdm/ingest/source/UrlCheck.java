package org.pdm.ingest.source;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a row's URL can be fetched at all, checked with the metadata filters so that one bad row
 * becomes a {@code bad-url} reject instead of an exception that stops the run.
 */
public final class UrlCheck {
  private UrlCheck() {}

  /**
   * Null when the URL parses, otherwise what is wrong with it. Items of the {@code files} source are
   * Hadoop paths, not URIs (a space is fine there), and are not checked.
   */
  public static String problem(String source, String url) {
    if (url == null || url.isBlank() || "files".equals(source)) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() == null) {
      return "no host name in " + url.trim();
    }
    return null;
  }
}
