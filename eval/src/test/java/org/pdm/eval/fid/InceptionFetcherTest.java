package org.pdm.eval.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.stage.StagePathException;

/** fetch-inception against a server on 127.0.0.1 serving the stand-in; never the network. */
class InceptionFetcherTest {
  @TempDir
  Path tmp;
  private HttpServer server;
  private byte[] body;
  private String url;

  @BeforeEach
  void serve() throws IOException {
    body = Files.readAllBytes(Fixtures.standIn(tmp));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics/inception-2015-12-05.pt", x -> {
      x.sendResponseHeaders(200, body.length);
      try (OutputStream os = x.getResponseBody()) {
        os.write(body);
      }
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics/inception-2015-12-05.pt";
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void downloadsAndChecksTheSha256() throws Exception {
    String sha = DetectorSource.sha256(new org.apache.hadoop.conf.Configuration(), Fixtures.standIn(tmp).toString());
    Path to = tmp.resolve("got/inception.pt");
    InceptionFetcher.Fetched f = InceptionFetcher.fetch(url, sha, to, false, Duration.ofSeconds(20));
    assertTrue(f.checked());
    assertEquals(sha, f.sha256());
    assertArrayEquals(body, Files.readAllBytes(to));
    assertThrows(StagePathException.class, () -> InceptionFetcher.fetch(url, sha, to, false, Duration.ofSeconds(20)),
        "an existing file is kept without --force");
  }

  @Test
  void aWrongSha256LeavesNoFile() throws IOException {
    Path to = tmp.resolve("bad.pt");
    IOException e = assertThrows(IOException.class, () -> InceptionFetcher.fetch(url, "00".repeat(32), to, false,
        Duration.ofSeconds(20)));
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
    assertFalse(Files.exists(to));
    try (var files = Files.list(tmp)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".part")), "no partial file left");
    }
  }

  @Test
  void anHttpErrorNamesTheKey() {
    IOException e = assertThrows(IOException.class, () -> InceptionFetcher.fetch(url.replace("/metrics/", "/nothing/"), "",
        tmp.resolve("x.pt"), false, Duration.ofSeconds(20)));
    assertTrue(e.getMessage().contains("404") && e.getMessage().contains("pdm.eval.fetch.url"), e.getMessage());
  }
}
