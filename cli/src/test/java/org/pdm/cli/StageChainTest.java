package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage commands one after another with no path between them, in an isolated work folder. */
class StageChainTest {
  @TempDir
  Path dir;

  private CapturedRun pdm(String... args) {
    CapturedRun r = CapturedRun.inWork(dir.resolve("work"), args);
    assertEquals(0, r.code(), r.out() + "\n" + r.err());
    return r;
  }

  @Test
  void ingestThenPreprocessWithDefaultPaths() throws Exception {
    Path photos = dir.resolve("photos");
    pdm("synth", "--out", photos.toString(), "--count", "4", "--min-size", "64x32", "synth.off-spec-fraction=0");
    Path work = dir.resolve("work");

    // pdm synth's output folder stands for its images/ (its manifests and _manifest.json are not images).
    CapturedRun ingest = pdm("ingest", "--source", "files", "--in", photos.toString());
    assertTrue(ingest.out().contains("ingest: wrote " + work.resolve("ingest")), ingest.out());
    assertTrue(ingest.out().matches("(?s).*\\n  stored +4\\n.*"), ingest.out());

    String[] preset = {"preprocess", "--preset", "custom", "preprocess.custom.size=32x16",
        "preprocess.custom.min-size=64x32", "preprocess.filters.min-sharpness=0", "preprocess.filters.dedupe=false"};
    CapturedRun pre = pdm(preset);
    assertTrue(pre.out().contains("preprocess: wrote " + work.resolve("preprocess")), pre.out());
    assertTrue(pre.out().matches("(?s).*\\n  input +4\\n.*"), pre.out());
    assertTrue(Files.isDirectory(work.resolve("preprocess/dataset")));

    // The ingest output folder named explicitly, then its data folder: the same four images.
    Path elsewhere = dir.resolve("elsewhere");
    String[] ins = {work.resolve("ingest").toString(), work.resolve("ingest/raw").toString()};
    for (String in : ins) {
      List<String> args = new ArrayList<>(List.of(preset));
      args.addAll(List.of("--in", in, "--out", elsewhere.toString()));
      CapturedRun given = pdm(args.toArray(String[]::new));
      assertTrue(given.out().matches("(?s).*\\n  input +4\\n.*"), given.out());
    }
  }

  @Test
  void everyStageWithDefaultPathsFromSynthToEncode() throws Exception {
    pdm("synth", "--count", "3", "--min-size", "64x32", "synth.off-spec-fraction=0");
    // No --in: ingest reads synth's output in the work folder, as every stage reads the one before.
    CapturedRun ingest = pdm("ingest", "--source", "files");
    assertTrue(ingest.out().matches("(?s).*\\n  stored +3\\n.*"), ingest.out());
    pdm("preprocess", "--preset", "custom", "preprocess.custom.size=32x32", "preprocess.custom.min-size=32x32",
        "preprocess.filters.min-sharpness=0", "preprocess.filters.dedupe=false");
    Path work = dir.resolve("work");

    CapturedRun init = pdm("model", "init", "--config", "autoencoder-tiny", "--seed", "3");
    assertTrue(init.out().contains("autoencoder: wrote " + work.resolve("autoencoder")), init.out());
    assertTrue(Files.isRegularFile(work.resolve("autoencoder/checkpoint/checkpoint.json")));

    CapturedRun encode = pdm("encode");
    assertTrue(encode.out().contains("latents: wrote " + work.resolve("latents")), encode.out());
    assertTrue(encode.out().matches("(?s).*\\n  encoded +3\\n.*"), encode.out());
    assertTrue(Files.isRegularFile(work.resolve("latents/latent-stats.json")));
    assertTrue(pdm("encode").out().contains("is up to date"));

    // Preprocess's output folder and the checkpoint folder given explicitly: the same three images.
    CapturedRun given = pdm("encode", "--dataset", work.resolve("preprocess").toString(), "--autoencoder",
        work.resolve("autoencoder/checkpoint").toString(), "--out", dir.resolve("elsewhere").toString());
    assertTrue(given.out().matches("(?s).*\\n  encoded +3\\n.*"), given.out());
    // --in, the input flag every stage takes, names the same folder.
    CapturedRun viaIn = pdm("encode", "--in", work.resolve("preprocess").toString(), "--out",
        dir.resolve("via-in").toString());
    assertTrue(viaIn.out().matches("(?s).*\\n  encoded +3\\n.*"), viaIn.out());

    // A folder that model init did not write is refused, untouched.
    Files.createDirectories(dir.resolve("notes"));
    Files.writeString(dir.resolve("notes/a.txt"), "keep", java.nio.file.StandardOpenOption.CREATE_NEW);
    CapturedRun refused = CapturedRun.of("model", "init", "--config", "autoencoder-tiny", "--out",
        dir.resolve("notes").toString(), "work-dir=" + work);
    assertEquals(2, refused.code(), refused.err());
    assertTrue(refused.err().contains("did not write"), refused.err());
    assertEquals("keep", Files.readString(dir.resolve("notes/a.txt")));
  }
}
