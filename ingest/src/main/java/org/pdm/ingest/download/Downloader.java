package org.pdm.ingest.download;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Fetches one URL with the JDK's HttpClient, or one file from a Hadoop file system, and never
 * throws: every failure comes back as a {@link FetchResult} with its reason. Thread-safe; one per
 * task, called from the task's download threads.
 *
 * <p>Per attempt: the scheme and every address the host resolves to are checked, redirects are
 * followed by hand (at most {@code max-redirects}, each hop checked again), the response must be
 * complete within {@code read-timeout} and at most {@code max-bytes} long (reading stops past it),
 * and an {@code X-Robots-Tag} that forbids us drops it. Timeouts, connection failures, truncated
 * bodies, 429 and 5xx are retried with exponential backoff and jitter, or after the server's
 * {@code Retry-After} when it asks for no more than {@code max-retry-after}.
 */
public final class Downloader {
  /** One client per JVM and connect timeout: it holds the connection pool that keep-alive reuses. */
  private static final Map<Duration, HttpClient> CLIENTS = new ConcurrentHashMap<>();
  /** Downloads in flight per host (and per limit), shared by every task of the JVM. */
  static final HostLimits HOSTS = new HostLimits();

  private final DownloadConfig config;
  private final Configuration hadoop;
  private final HttpClient client;
  private final AddressPolicy addresses;
  private final RobotsTag robots;
  private final String userAgent;

  public Downloader(DownloadConfig config, Configuration hadoop) {
    this.config = config;
    this.hadoop = hadoop;
    this.client = CLIENTS.computeIfAbsent(config.connectTimeout(), t -> HttpClient.newBuilder()
        .connectTimeout(t).followRedirects(HttpClient.Redirect.NEVER).build());
    this.addresses = new AddressPolicy(config.allowPrivateAddresses());
    this.robots = new RobotsTag(config.userAgentToken(), config.robotsDirectives());
    this.userAgent = config.userAgent();
  }

  /**
   * @param url the item's URL
   * @param fromFileSystem true for items of the {@code files} source, which are read from their
   *     Hadoop file system whatever {@code allow-file-urls} says
   */
  public FetchResult fetch(String url, boolean fromFileSystem) {
    URI uri;
    try {
      uri = fromFileSystem ? null : URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      return FetchResult.failed(url, 0, Reasons.BAD_URL, e.getMessage());
    }
    String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") || scheme.equals("https")) {
      return withRetries(uri);
    }
    if (fromFileSystem || (config.allowFileUrls() && !scheme.isEmpty())) {
      return file(url);
    }
    return FetchResult.failed(url, 0, Reasons.REFUSED_SCHEME, scheme.isEmpty()
        ? "not an absolute URL (set pdm.ingest.url-base for relative ones)"
        : scheme + ": URLs are refused; only http and https unless pdm.ingest.download.allow-file-urls = true");
  }

  private FetchResult withRetries(URI uri) {
    FetchResult r = null;
    for (int attempt = 0; attempt <= config.retries(); attempt++) {
      r = once(uri);
      if (!r.retryable() || attempt == config.retries()) {
        return r.withAttempts(attempt + 1);
      }
      long waitMs = backoffMillis(attempt);
      if (r.retryAfterMillis() >= 0) {
        if (r.retryAfterMillis() > config.maxRetryAfter().toMillis()) {
          return FetchResult.failed(r.finalUrl(), r.httpStatus(), r.reason(), r.detail() + ": longer than "
              + "pdm.ingest.download.max-retry-after").withAttempts(attempt + 1).withRetryAfter(r.retryAfterMillis());
        }
        waitMs = r.retryAfterMillis();
      }
      try {
        Thread.sleep(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r.withAttempts(attempt + 1);
      }
    }
    return r;
  }

  /** Equal jitter: half the exponential step plus a random share of the other half. */
  long backoffMillis(int attempt) {
    long step = Math.min(config.backoffMax().toMillis(), config.backoffBase().toMillis() << Math.min(attempt, 30));
    return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
  }

  private FetchResult once(URI start) {
    URI current = start;
    for (int hop = 0; ; hop++) {
      String scheme = current.getScheme() == null ? "" : current.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return FetchResult.failed(current.toString(), 0, Reasons.REFUSED_SCHEME, "redirected to a " + scheme + ": URL");
      }
      String refusal = addresses.refusal(current.getHost());
      if (refusal != null) {
        return FetchResult.failed(current.toString(), 0, current.getHost() == null ? Reasons.BAD_URL : Reasons.REFUSED_ADDRESS,
            refusal);
      }
      Exchange ex = exchange(current);
      if (ex.result != null) {
        return ex.result;
      }
      int status = ex.response.statusCode();
      if (status >= 300 && status < 400 && ex.response.headers().firstValue("Location").isPresent()) {
        if (hop >= config.maxRedirects()) {
          return FetchResult.failed(current.toString(), status, Reasons.TOO_MANY_REDIRECTS,
              "more than " + config.maxRedirects() + " redirects");
        }
        try {
          current = current.resolve(ex.response.headers().firstValue("Location").get().trim());
        } catch (IllegalArgumentException e) {
          return FetchResult.failed(current.toString(), status, Reasons.BAD_URL, "bad Location: " + e.getMessage());
        }
        continue;
      }
      if (status / 100 != 2) {
        long ms = status == 429 || status == 503
            ? retryAfterMillis(ex.response.headers().firstValue("Retry-After").orElse(null)) : -1;
        return FetchResult.failed(current.toString(), status, Reasons.HTTP_STATUS,
            "HTTP " + status + (ms >= 0 ? ", Retry-After " + ms + " ms" : "")).withRetryAfter(ms);
      }
      if (ex.early != null) {
        return FetchResult.failed(current.toString(), status, ex.early, ex.earlyDetail);
      }
      return FetchResult.ok(ex.response.body(), current.toString(), status);
    }
  }

  /** The outcome of one request: a response, or a failure already classified. */
  private static final class Exchange {
    volatile HttpResponse<byte[]> response;
    volatile FetchResult result;
    volatile boolean headersSeen;
    volatile String early;
    volatile String earlyDetail;
  }

  private Exchange exchange(URI uri) {
    Exchange ex = new Exchange();
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(uri).GET().timeout(config.readTimeout())
          .version(https ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
          .header("User-Agent", userAgent).header("Accept", "image/*,*/*;q=0.5").build();
    } catch (IllegalArgumentException e) {
      ex.result = FetchResult.failed(uri.toString(), 0, Reasons.BAD_URL, e.getMessage());
      return ex;
    }
    HttpResponse.BodyHandler<byte[]> handler = info -> {
      ex.headersSeen = true;
      int status = info.statusCode();
      long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (status / 100 != 2) {
        return new Discard();
      }
      String forbidden = robots.forbidding(info.headers().allValues("X-Robots-Tag"));
      if (forbidden != null) {
        ex.early = Reasons.ROBOTS;
        ex.earlyDetail = "X-Robots-Tag: " + forbidden;
        return new Discard();
      }
      if (length > config.maxBytes()) {
        ex.early = Reasons.TOO_LARGE;
        ex.earlyDetail = "Content-Length " + length + " > max-bytes " + config.maxBytes();
        return new Discard();
      }
      return new LimitedBody(config.maxBytes(), length);
    };
    String url = uri.toString();
    HostLimits.Slot host;
    try {
      host = HOSTS.acquire(uri.getHost() + ":" + uri.getPort(), config.maxPerHost());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.result = FetchResult.failed(url, 0, Reasons.CONNECTION, "interrupted");
      return ex;
    }
    CompletableFuture<HttpResponse<byte[]>> future = null;
    try {
      future = client.sendAsync(request, handler);
      // The request's own timeout covers the wait for headers; this one the whole body too.
      ex.response = future.get(config.readTimeout().toMillis() + 50, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      ex.result = FetchResult.failed(url, 0, Reasons.TIMEOUT, "no complete response within " + config.readTimeout());
    } catch (ExecutionException e) {
      ex.result = classify(url, e.getCause(), ex.headersSeen);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (future != null) {
        future.cancel(true);
      }
      ex.result = FetchResult.failed(url, 0, Reasons.CONNECTION, "interrupted");
    } catch (IllegalArgumentException e) {
      ex.result = FetchResult.failed(url, 0, Reasons.BAD_URL, e.getMessage());
    } finally {
      HOSTS.release(host);
    }
    return ex;
  }

  private FetchResult classify(String url, Throwable cause, boolean headersSeen) {
    Throwable c = cause;
    while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof LimitedBody.TooLarge) {
      return FetchResult.failed(url, 200, Reasons.TOO_LARGE, c.getMessage() + " (max-bytes)");
    }
    if (c instanceof HttpConnectTimeoutException) {
      return FetchResult.failed(url, 0, Reasons.TIMEOUT, "connect: " + c.getMessage());
    }
    if (c instanceof HttpTimeoutException) {
      return FetchResult.failed(url, 0, Reasons.TIMEOUT, c.getMessage());
    }
    if (c instanceof ConnectException || !headersSeen) {
      return FetchResult.failed(url, 0, Reasons.CONNECTION, c.getClass().getSimpleName() + ": " + c.getMessage());
    }
    return FetchResult.failed(url, 200, Reasons.TRUNCATED, "body cut short: " + c.getMessage());
  }

  /** Retry-After as seconds or an HTTP date, in milliseconds from now; -1 when absent or unreadable. */
  static long retryAfterMillis(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String v = value.trim();
    try {
      return Math.max(0, Math.min(Long.parseLong(v), Long.MAX_VALUE / 1000)) * 1000;
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (java.time.format.DateTimeParseException e2) {
        return -1;
      }
    }
  }

  private FetchResult file(String url) {
    try {
      Path path = new Path(url);
      FileSystem fs = org.pdm.core.spark.WholeFiles.of(path, hadoop);
      FileStatus status = fs.getFileStatus(path);
      if (status.getLen() > config.maxBytes()) {
        return FetchResult.failed(url, 0, Reasons.TOO_LARGE, status.getLen() + " bytes > max-bytes " + config.maxBytes());
      }
      byte[] bytes = new byte[(int) status.getLen()];
      try (InputStream in = fs.open(path)) {
        org.apache.hadoop.io.IOUtils.readFully(in, bytes, 0, bytes.length);
      }
      return FetchResult.ok(bytes, url, 0);
    } catch (FileNotFoundException e) {
      return FetchResult.failed(url, 0, Reasons.MISSING_FILE, e.getMessage());
    } catch (IllegalArgumentException e) {
      return FetchResult.failed(url, 0, Reasons.BAD_URL, e.getMessage()); // not a path: new Path(url) threw
    } catch (IOException e) {
      return FetchResult.failed(url, 0, Reasons.CONNECTION, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** Reads no body: cancels at once (the connection is closed rather than drained). */
  private static final class Discard implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.cancel();
      result.complete(new byte[0]);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable t) {
      result.complete(new byte[0]);
    }

    @Override
    public void onComplete() {
      result.complete(new byte[0]);
    }
  }
}
