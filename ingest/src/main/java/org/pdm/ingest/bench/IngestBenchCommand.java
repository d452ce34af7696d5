package org.pdm.ingest.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.spark.SparkSessions;
import org.pdm.core.stage.StageResult;
import org.pdm.core.synth.SynthJob;
import org.pdm.ingest.IngestCommand;
import org.pdm.ingest.IngestJob;
import org.pdm.ingest.download.ImageHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdm bench ingest}: serves N generated images from a local HTTP server and downloads them
 * twice in the same process, by a plain sequential Java loop (HttpClient, one request at a time,
 * sha256 and header check per image: the floor to beat) and by the ingest job (the whole stage:
 * planning, download tasks, Parquet checkpoints, commit), after an untimed warm-up of the job on
 * 5% of the images. Prints images/s and MB/s for both. {@code --latency-ms} delays every response
 * as a remote server would; with 0 the loop is bound by the CPU alone.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Benchmark pdm ingest against a sequential download loop on a local HTTP server.")
public final class IngestBenchCommand extends StageCommand {
  @Option(names = "--count", description = "Images served (default 2000).")
  int count = 2000;

  @Option(names = "--min-size", paramLabel = "WxH", description = "Smallest generated image (default 256x128).")
  String minSize = "256x128";

  @Option(names = "--latency-ms", description = "Delay of every response, as a remote server's (default 0).")
  long latencyMs = 0;

  @Option(names = "--dir", paramLabel = "DIR", description = "Working folder (default <work-dir>/bench-ingest).")
  String dir;

  @Override
  protected int run(PdmConfig config) throws Exception {
    String work = dir != null ? dir : SparkSessions.workDir(config) + "/bench-ingest";
    SparkSession spark = SparkSessions.getOrCreate(config, "bench ingest");
    PdmConfig synthConf = config.with("synth.count=" + count, "synth.min-size=\"" + minSize + "\"",
        "synth.off-spec-fraction=0", "synth.png-fraction=0");
    Path synth = Path.of(work, "synth");
    SynthJob.run(spark, synthConf, synth.toString(), false);
    List<String> names;
    try (var list = Files.list(synth.resolve("images"))) {
      names = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    try (LocalImageServer server = new LocalImageServer(synth.resolve("images"), latencyMs)) {
      Path manifest = Path.of(work, "urls.csv");
      StringBuilder csv = new StringBuilder("id,url\n");
      List<URI> urls = new ArrayList<>();
      for (String n : names) {
        csv.append(n).append(',').append(server.base()).append(n).append('\n');
        urls.add(URI.create(server.base() + n));
      }
      Files.writeString(manifest, csv);
      System.out.printf("bench ingest: %d images (%.1f MB) from %s with %d ms latency, %d cores, spark master %s%n",
          names.size(), totalBytes(synth.resolve("images")) / 1e6, server.base(), latencyMs,
          Runtime.getRuntime().availableProcessors(), spark.sparkContext().master());

      // The floor: one request at a time, same checks (header, sha256), nothing written.
      long t0 = System.nanoTime();
      long bytes = sequential(urls);
      double loopSeconds = (System.nanoTime() - t0) / 1e9;

      // Warm-up (untimed): the same job on the first 5% of the images, so that the timed run does
      // not pay for the JVM's first Spark SQL queries (class loading, code generation).
      Path warmManifest = Path.of(work, "urls-warmup.csv");
      Files.writeString(warmManifest, csv.substring(0, nthLine(csv, 1 + Math.max(10, names.size() / 20))));
      IngestJob.run(spark, config.with("ingest.source=urls", "ingest.inputs=" + IngestCommand.hoconList(
          List.of(warmManifest.toString())), "ingest.out=\"" + Path.of(work, "warmup") + "\"",
          "ingest.download.allow-private-addresses=true"), true);

      PdmConfig ingestConf = config.with("ingest.source=urls", "ingest.inputs=" + IngestCommand.hoconList(
          List.of(manifest.toString())), "ingest.out=\"" + Path.of(work, "out") + "\"",
          "ingest.download.allow-private-addresses=true");
      long t1 = System.nanoTime();
      StageResult r = IngestJob.run(spark, ingestConf, true);
      double jobSeconds = (System.nanoTime() - t1) / 1e9;
      long stored = r.counts().getOrDefault("stored", 0L);
      long storedBytes = r.counts().getOrDefault("bytes-stored", 0L);
      double downloadSeconds = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(Path.of(work, "out", "stats.json").toFile()).path("seconds").path("download").asDouble(0);

      System.out.printf("%-34s %8s %10s %9s %8s%n", "", "images", "seconds", "images/s", "MB/s");
      row("sequential Java loop (floor)", urls.size(), loopSeconds, bytes);
      row("pdm ingest, whole stage", stored, jobSeconds, storedBytes);
      if (downloadSeconds > 0) {
        row("pdm ingest, download phase", stored, downloadSeconds, storedBytes);
      }
      System.out.printf("speed-up of the whole stage over the loop: %.1fx%n", (stored / jobSeconds) / (urls.size() / loopSeconds));
    }
    return 0;
  }

  private static long totalBytes(Path dir) throws java.io.IOException {
    try (var list = Files.list(dir)) {
      return list.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static int nthLine(CharSequence s, int lines) {
    int seen = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n' && ++seen == lines) {
        return i + 1;
      }
    }
    return s.length();
  }

  private static void row(String label, long images, double seconds, long bytes) {
    System.out.printf("%-34s %8d %10.2f %9.1f %8.1f%n", label, images, seconds, images / seconds, bytes / 1e6 / seconds);
  }

  static long sequential(List<URI> urls) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long bytes = 0;
    for (URI u : urls) {
      HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(u).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(u + ": HTTP " + r.statusCode());
      }
      ImageHeader.inspect(r.body());
      MessageDigest.getInstance("SHA-256").digest(r.body());
      bytes += r.body().length;
    }
    return bytes;
  }
}
