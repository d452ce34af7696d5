package org.pdm.ingest.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;

class DownloaderTest {
  @TempDir
  Path tmp;

  private static DownloadConfig config(String... overrides) {
    PdmConfig c = PdmConfig.defaults().with(overrides);
    return DownloadConfig.from(c, c.settings("ingest").section("download"));
  }

  @Test
  void refusesInternalAddressesByDefault() {
    Downloader d = new Downloader(config(), new Configuration());
    for (String url : List.of("http://127.0.0.1:9/x.jpg", "http://localhost/x.jpg", "http://10.1.2.3/x.jpg",
        "http://169.254.169.254/latest/meta-data", "http://[::1]/x.jpg", "http://192.168.0.1/a.png")) {
      FetchResult r = d.fetch(url, false);
      assertEquals(Reasons.REFUSED_ADDRESS, r.reason(), url);
    }
  }

  @Test
  void refusalsNameTheSettingThatAllowsThem() {
    FetchResult internal = new Downloader(config(), new Configuration()).fetch("http://127.0.0.1:9/x.jpg", false);
    assertTrue(internal.detail().contains("pdm.ingest.download.allow-private-addresses = true"), internal.detail());
    FetchResult file = new Downloader(config(), new Configuration()).fetch("file:/tmp/x.jpg", false);
    assertTrue(file.detail().contains("pdm.ingest.download.allow-file-urls = true"), file.detail());
  }

  @Test
  void textThatIsNoUrlIsABadUrl() {
    Downloader d = new Downloader(config("ingest.download.allow-file-urls=true"), new Configuration());
    for (String url : List.of("ht tp://exa mple/x.jpg", "Photo 1: sunset.jpg", "http:///x.jpg", "http://exa_mple/x.jpg")) {
      FetchResult r = d.fetch(url, false);
      assertEquals(Reasons.BAD_URL, r.reason(), url);
      assertNotNull(r.detail(), url);
    }
    assertEquals(Reasons.BAD_URL, d.fetch("Photo 1: sunset.jpg", true).reason(), "a files item that is no path");
  }

  @Test
  void retryAfterIsATypedValue() throws Exception {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      ex.getResponseHeaders().set("Retry-After", "5");
      ex.sendResponseHeaders(429, -1);
      ex.close();
    });
    server.start();
    try {
      Downloader d = new Downloader(config("ingest.download.allow-private-addresses=true",
          "ingest.download.max-retry-after=100ms", "ingest.download.retries=2"), new Configuration());
      FetchResult r = d.fetch("http://127.0.0.1:" + server.getAddress().getPort() + "/x.jpg", false);
      assertEquals(429, r.httpStatus());
      assertEquals(5000, r.retryAfterMillis());
      assertEquals(1, r.attempts(), "a wait above max-retry-after is not waited for");
      assertTrue(r.detail().contains("Retry-After 5000 ms") && r.detail().contains("max-retry-after"), r.detail());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void classifiesAddresses() throws Exception {
    assertTrue(AddressPolicy.isInternal(InetAddress.getByName("100.64.0.1")));
    assertTrue(AddressPolicy.isInternal(InetAddress.getByName("fd00::1")));
    assertTrue(AddressPolicy.isInternal(InetAddress.getByName("224.0.0.1")));
    assertTrue(AddressPolicy.isInternal(InetAddress.getByName("0.0.0.0")));
    assertTrue(!AddressPolicy.isInternal(InetAddress.getByName("93.184.216.34")));
    assertTrue(!AddressPolicy.isInternal(InetAddress.getByName("2606:2800:220:1::")));
  }

  @Test
  void onlyHttpUnlessFileUrlsAreAllowed() throws Exception {
    Path f = tmp.resolve("a.bin");
    Files.write(f, new byte[] {1, 2, 3});
    FetchResult refused = new Downloader(config(), new Configuration()).fetch(f.toUri().toString(), false);
    assertEquals(Reasons.REFUSED_SCHEME, refused.reason());
    assertEquals(Reasons.REFUSED_SCHEME, new Downloader(config(), new Configuration()).fetch("ftp://x/y", false).reason());
    assertEquals(Reasons.REFUSED_SCHEME, new Downloader(config(), new Configuration()).fetch("images/x.jpg", false).reason());
    FetchResult read = new Downloader(config("ingest.download.allow-file-urls=true"), new Configuration())
        .fetch(f.toUri().toString(), false);
    assertNull(read.reason());
    assertEquals(3, read.body().length);
    FetchResult missing = new Downloader(config("ingest.download.allow-file-urls=true"), new Configuration())
        .fetch(tmp.resolve("nope.jpg").toUri().toString(), false);
    assertEquals(Reasons.MISSING_FILE, missing.reason());
    FetchResult big = new Downloader(config("ingest.download.allow-file-urls=true", "ingest.download.max-bytes=1024"),
        new Configuration()).fetch(write(tmp.resolve("big"), 2000).toUri().toString(), false);
    assertEquals(Reasons.TOO_LARGE, big.reason());
  }

  private static Path write(Path p, int n) throws Exception {
    Files.write(p, new byte[n]);
    return p;
  }

  @Test
  void retryAfterInSecondsOrAsADate() {
    assertEquals(3000, Downloader.retryAfterMillis("3"));
    assertEquals(-1, Downloader.retryAfterMillis("soon"));
    assertEquals(-1, Downloader.retryAfterMillis(null));
    long ms = Downloader.retryAfterMillis(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
        .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30)));
    assertTrue(ms > 25_000 && ms <= 30_000, Long.toString(ms));
  }

  @Test
  void backoffGrowsWithJitterUpToTheCap() {
    Downloader d = new Downloader(config("ingest.download.backoff-base=100ms", "ingest.download.backoff-max=1s"),
        new Configuration());
    for (int i = 0; i < 50; i++) {
      long first = d.backoffMillis(0);
      assertTrue(first >= 50 && first <= 100, Long.toString(first));
      long third = d.backoffMillis(2);
      assertTrue(third >= 200 && third <= 400, Long.toString(third));
      long late = d.backoffMillis(20);
      assertTrue(late >= 500 && late <= 1000, Long.toString(late));
    }
  }

  @Test
  void userAgentCarriesOurToken() {
    assertTrue(config("ingest.download.user-agent-token=mybot").userAgent().contains("+token mybot"));
    assertNotNull(Duration.ZERO);
  }

  @Test
  void robotsHeadersForEveryoneOrForUs() {
    RobotsTag robots = new RobotsTag("pdm", List.of("noai", "noimageai", "noindex", "noimageindex"));
    assertEquals("noai", robots.forbidding(List.of("noai")));
    assertEquals("noindex", robots.forbidding(List.of("nofollow, NoIndex")));
    assertEquals("pdm: noimageai", robots.forbidding(List.of("pdm: noimageai")));
    assertNull(robots.forbidding(List.of("otherbot: noai")));
    assertNull(robots.forbidding(List.of("nofollow")));
    assertNull(robots.forbidding(List.of()));
    assertNull(new RobotsTag("pdm", List.of()).forbidding(List.of("noai")));
  }
}
