package org.pdm.ingest.download;

/**
 * What one fetch gave: the body, or why there is none. Failures are values, not exceptions.
 *
 * @param body the bytes read, or null on failure
 * @param finalUrl the URL after redirects
 * @param httpStatus the last HTTP status, 0 when there was none (file systems, connection failures)
 * @param reason null on success, otherwise one of {@link Reasons}
 * @param detail a short human-readable explanation, or null
 * @param attempts how many attempts were made
 * @param retryAfterMillis the wait a 429 or 503 asked for in {@code Retry-After}, or -1 when it asked none
 */
public record FetchResult(byte[] body, String finalUrl, int httpStatus, String reason, String detail, int attempts,
    long retryAfterMillis) {
  public boolean ok() {
    return reason == null;
  }

  static FetchResult ok(byte[] body, String url, int status) {
    return new FetchResult(body, url, status, null, null, 1, -1);
  }

  static FetchResult failed(String url, int status, String reason, String detail) {
    return new FetchResult(null, url, status, reason, detail, 1, -1);
  }

  FetchResult withAttempts(int n) {
    return new FetchResult(body, finalUrl, httpStatus, reason, detail, n, retryAfterMillis);
  }

  FetchResult withRetryAfter(long millis) {
    return new FetchResult(body, finalUrl, httpStatus, reason, detail, attempts, millis);
  }

  /** Worth another attempt: timeouts, connection failures, truncated bodies, 429 and 5xx. */
  boolean retryable() {
    return Reasons.TIMEOUT.equals(reason) || Reasons.CONNECTION.equals(reason) || Reasons.TRUNCATED.equals(reason)
        || (Reasons.HTTP_STATUS.equals(reason) && (httpStatus == 429 || httpStatus >= 500));
  }
}
