package org.pdm.ingest.source;

import java.io.Serializable;

/**
 * The filters a preset asks for, applied to what a source already says about an image (before any
 * download) and again to the size read from the downloaded header. Returns the first rule an item
 * breaks as a reject reason, or null when it passes.
 */
public final class MetadataFilter implements Serializable {
  public static final String MISSING_URL = "invalid:no-url";
  /** A URL that does not parse: the reason the downloader gives too. */
  public static final String BAD_URL = org.pdm.ingest.download.Reasons.BAD_URL;
  public static final String MEDIA = "filtered:media";
  public static final String LICENSE = "filtered:license";
  public static final String MIN_SIZE = "filtered:min-size";
  public static final String ORIENTATION = "filtered:orientation";
  public static final String ASPECT = "filtered:aspect";

  private final FilterConfig config;

  public MetadataFilter(FilterConfig config) {
    this.config = config;
  }

  /** The metadata checks; a missing width or height passes the size rules (checked after download). */
  public String reason(String url, Integer width, Integer height, String license, String media) {
    return reason(null, url, width, height, license, media);
  }

  /** As above, with the source, whose URLs are checked to parse ({@link UrlCheck}). */
  public String reason(String source, String url, Integer width, Integer height, String license, String media) {
    if (url == null || url.isBlank()) {
      return MISSING_URL;
    }
    if (UrlCheck.problem(source, url) != null) {
      return BAD_URL;
    }
    if (config.photosOnly() && media != null && !media.isBlank() && !media.equalsIgnoreCase("photo")) {
      return MEDIA;
    }
    if (!config.licenses().isEmpty() && !config.licenses().contains(license == null ? "unknown" : license)) {
      return LICENSE;
    }
    if (width == null || height == null || width <= 0 || height <= 0) {
      return null;
    }
    return sizeReason(width, height);
  }

  /** The detail of a metadata reject: what is wrong with the URL, or the values the filters saw. */
  public static String detail(String reason, String source, String url, Integer width, Integer height, String license,
      String media) {
    if (BAD_URL.equals(reason)) {
      return UrlCheck.problem(source, url);
    }
    StringBuilder s = new StringBuilder();
    if (width != null && height != null) {
      s.append(width).append('x').append(height);
    }
    for (String v : new String[] {license, media}) {
      if (v != null) {
        s.append(s.length() > 0 ? ", " : "").append(v);
      }
    }
    return s.toString();
  }

  /** The size rules alone: minimum sides, orientation, aspect range. */
  public String sizeReason(int width, int height) {
    if (width < config.minWidth() || height < config.minHeight()) {
      return MIN_SIZE;
    }
    boolean ok = switch (config.orientation()) {
      case "landscape" -> width > height;
      case "portrait" -> height > width;
      case "square" -> width == height;
      default -> true;
    };
    if (!ok) {
      return ORIENTATION;
    }
    double aspect = (double) width / height;
    if ((config.minAspect() > 0 && aspect < config.minAspect()) || (config.maxAspect() > 0 && aspect > config.maxAspect())) {
      return ASPECT;
    }
    return null;
  }

  /** True when the format (from the magic number) is one the configuration keeps. */
  public boolean formatAllowed(String format) {
    return config.formats().contains(format);
  }
}
