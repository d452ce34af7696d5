package org.pdm.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 (ephemeral port) serving the files of a folder, with faults chosen
 * by the first path segment: {@code /img/<file>} plain, {@code /404/}, {@code /flaky500/} (500
 * once, then the file), {@code /429/} (429 with Retry-After: 1 once), {@code /slow/} (headers after
 * 4 s), {@code /truncated/} (half the body, then the connection closed), {@code /html/} (HTML as
 * image/jpeg), {@code /huge/} (an endless chunked body), {@code /loop/} (redirects forever),
 * {@code /redirect/} (one redirect to /img/), {@code /robots/} (X-Robots-Tag: noai),
 * {@code /robots-ours/} (X-Robots-Tag: pdm: noimageai), {@code /robots-other/} (otherbot: noai).
 * Counts the requests for every path.
 */
final class FaultServer implements AutoCloseable {
  private final HttpServer server;
  private final Path root;
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  final Map<String, String> userAgents = new ConcurrentHashMap<>();

  FaultServer(Path root) throws IOException {
    this.root = root;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  int totalHits() {
    return hits.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    int n = hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    userAgents.put(path, String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
    String[] parts = path.substring(1).split("/", 2);
    String fault = parts[0];
    String rest = parts.length > 1 ? parts[1] : "";
    try {
      switch (fault) {
        case "404" -> empty(ex, 404);
        case "flaky500" -> {
          if (n == 1) {
            empty(ex, 500);
          } else {
            file(ex, rest, Map.of());
          }
        }
        case "429" -> {
          if (n == 1) {
            ex.getResponseHeaders().set("Retry-After", "1");
            empty(ex, 429);
          } else {
            file(ex, rest, Map.of());
          }
        }
        case "slow" -> {
          Thread.sleep(4000);
          file(ex, rest, Map.of());
        }
        case "truncated" -> {
          byte[] b = Files.readAllBytes(root.resolve(rest));
          ex.getResponseHeaders().set("Content-Type", "image/jpeg");
          ex.sendResponseHeaders(200, b.length);
          OutputStream o = ex.getResponseBody();
          o.write(b, 0, b.length / 2);
          o.flush();
          // Close the socket without finishing the body.
          ex.close();
        }
        case "html" -> {
          byte[] b = "<html><body>not an image</body></html>".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "image/jpeg");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        }
        case "huge" -> {
          ex.getResponseHeaders().set("Content-Type", "image/jpeg");
          ex.sendResponseHeaders(200, 0); // chunked, no length
          byte[] chunk = new byte[64 * 1024];
          chunk[0] = (byte) 0xFF;
          chunk[1] = (byte) 0xD8;
          chunk[2] = (byte) 0xFF;
          try (OutputStream o = ex.getResponseBody()) {
            for (int i = 0; i < 1600; i++) { // 100 MiB unless the client stops reading
              o.write(chunk);
            }
          } catch (IOException expected) {
            // the client hung up past its limit
          }
        }
        case "loop" -> {
          ex.getResponseHeaders().set("Location", "/loop/" + (Integer.parseInt(rest.isEmpty() ? "0" : rest.split("/")[0]) + 1));
          empty(ex, 302);
        }
        case "redirect" -> {
          ex.getResponseHeaders().set("Location", "/img/" + rest);
          empty(ex, 301);
        }
        case "robots" -> file(ex, rest, Map.of("X-Robots-Tag", "noai"));
        case "robots-ours" -> file(ex, rest, Map.of("X-Robots-Tag", "pdm: noimageai"));
        case "robots-other" -> file(ex, rest, Map.of("X-Robots-Tag", "otherbot: noai, noindex"));
        default -> file(ex, rest, Map.of());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away
    } finally {
      ex.close();
    }
  }

  private void file(HttpExchange ex, String rel, Map<String, String> headers) throws IOException {
    Path f = root.resolve(rel).normalize();
    if (!f.startsWith(root) || !Files.isRegularFile(f)) {
      empty(ex, 404);
      return;
    }
    byte[] b = Files.readAllBytes(f);
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.getResponseHeaders().set("Content-Type", "image/jpeg");
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  private static void empty(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
