package org.pdm.ingest.download;

/** Every reason an item ends up in the rejects, besides the metadata filters' {@code filtered:*}. */
public final class Reasons {
  /** An HTTP status other than 2xx (the status is in the http_status column). */
  public static final String HTTP_STATUS = "http-status";
  public static final String TIMEOUT = "timeout";
  public static final String CONNECTION = "connection";
  public static final String TOO_LARGE = "too-large";
  public static final String NOT_IMAGE = "not-image";
  public static final String TRUNCATED = "truncated";
  public static final String ROBOTS = "robots";
  public static final String REFUSED_ADDRESS = "refused-address";
  public static final String REFUSED_SCHEME = "refused-scheme";
  public static final String TOO_MANY_REDIRECTS = "too-many-redirects";
  public static final String BAD_URL = "bad-url";
  public static final String MISSING_FILE = "missing-file";
  /** A file or response of zero bytes. */
  public static final String EMPTY_FILE = "empty-file";
  public static final String FORMAT = "format-not-allowed";
  /** The same bytes (sha256) are stored under another id; detail names it. */
  public static final String DUPLICATE = "duplicate";
  /** Another row of the source has the same id. */
  public static final String DUPLICATE_ID = "duplicate-id";

  private Reasons() {}
}
