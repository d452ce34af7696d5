package org.pdm.ingest.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A plain HTTP server on 127.0.0.1 (ephemeral port) serving the files of one folder from memory,
 * for the benchmark: keep-alive, Content-Length, a thread per request, an optional fixed latency.
 */
public final class LocalImageServer implements AutoCloseable {
  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: about 40 ms per keep-alive request, which would make any sequential loop look slow.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final long latencyMs;

  /** @param latencyMs time each response waits before its headers, as a remote server's round trips would */
  public LocalImageServer(Path folder, long latencyMs) throws IOException {
    this.latencyMs = latencyMs;
    try (var list = Files.list(folder)) {
      for (Path f : list.toList()) {
        files.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bench-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = files.get(ex.getRequestURI().getPath().substring(1));
    try {
      if (latencyMs > 0) {
        Thread.sleep(latencyMs);
      }
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", "image/jpeg");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
