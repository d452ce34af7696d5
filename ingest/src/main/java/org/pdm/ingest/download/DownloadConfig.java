package org.pdm.ingest.download;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.stage.CodeVersion;
import org.pdm.ingest.IngestConfig;

/** The downloader's settings ({@code pdm.ingest.download}); see conf/application.conf for each. */
public record DownloadConfig(
    int threadsPerTask,
    int maxPerHost,
    Duration connectTimeout,
    Duration readTimeout,
    int retries,
    Duration backoffBase,
    Duration backoffMax,
    Duration maxRetryAfter,
    int maxRedirects,
    long maxBytes,
    String userAgentToken,
    List<String> robotsDirectives,
    boolean allowPrivateAddresses,
    boolean allowFileUrls) implements Serializable {

  public DownloadConfig {
    robotsDirectives = robotsDirectives.stream().map(String::toLowerCase).toList();
  }

  public static DownloadConfig from(PdmConfig config, Settings s) {
    Duration ms10 = Duration.ofMillis(10);
    Duration hour = Duration.ofHours(1);
    return new DownloadConfig(s.intIn("threads-per-task", 1, 1024), s.intIn("max-per-host", 1, 1024),
        s.duration("connect-timeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
        s.duration("read-timeout", Duration.ofMillis(100), hour), s.intIn("retries", 0, 20),
        s.duration("backoff-base", ms10, hour), s.duration("backoff-max", ms10, hour),
        s.duration("max-retry-after", ms10, hour), s.intIn("max-redirects", 0, 20),
        IngestConfig.bytes(config, s, "max-bytes", 1024, 2L << 30),
        s.required("user-agent-token", "set a short token such as pdm"),
        s.stringList("robots-directives"), s.bool("allow-private-addresses"), s.bool("allow-file-urls"));
  }

  /** The User-Agent header: our name, version and token, as img2dataset sends its own. */
  public String userAgent() {
    return "pdm-ingest/" + CodeVersion.get() + " (Pyramid Diffusion on Spark dataset builder; +token "
        + userAgentToken + ")";
  }
}
