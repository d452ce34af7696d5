package org.pdm.eval.fid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads the FID Inception TorchScript to a local file: streamed into a temporary sibling while its
 * SHA-256 is computed, checked against the expected hash when one is configured, and only then renamed
 * into place, so that a cut or altered download never sits where pdm eval fid looks.
 */
public final class InceptionFetcher {
  /** What was fetched. */
  public record Fetched(Path file, long bytes, String sha256, boolean checked) {}

  private InceptionFetcher() {}

  public static Fetched fetch(String url, String expectedSha256, Path to, boolean replace, Duration timeout)
      throws IOException, InterruptedException {
    if (Files.exists(to) && !replace) {
      throw new org.pdm.core.stage.StagePathException(to + " exists: give another --to, or --force to replace it");
    }
    Path dir = to.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(timeout).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      throw new IOException("GET " + url + " answered HTTP " + response.statusCode() + ": check pdm.eval.fetch.url");
    }
    Path tmp = Files.createTempFile(dir, to.getFileName().toString(), ".part");
    try {
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      long bytes;
      try (InputStream in = response.body(); OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp),
          sha)) {
        bytes = in.transferTo(out);
      }
      String got = HexFormat.of().formatHex(sha.digest());
      boolean check = !expectedSha256.isBlank();
      if (check && !got.equalsIgnoreCase(expectedSha256.trim())) {
        throw new IOException("the download from " + url + " has sha256 " + got + ", expected " + expectedSha256
            + " (pdm.eval.fetch.sha256): nothing was written to " + to);
      }
      Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Fetched(to, bytes, got, check);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
