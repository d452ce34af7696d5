package org.pdm.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of a stage leaves the previous output whole. */
class KillMidWriteTest {
  @Test
  void theOldOutputSurvivesAKilledWriterAndARerunCommits(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    StageOutput.at(new Configuration(), out.toString()).run(new StageSpec("test", "{\"v\":1}", List.of()), false,
        ctx -> Files.writeString(Path.of(ctx.dir().toUri()).resolve("data.txt"), "good"));

    Path marker = dir.resolve("marker");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        KilledWriter.class.getName(), out.toString(), marker.toString()).inheritIO().start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(marker) && System.nanoTime() < deadline && child.isAlive()) {
        Thread.sleep(50);
      }
      assertTrue(Files.exists(marker), "the child started writing");
    } finally {
      child.destroyForcibly().waitFor(); // SIGKILL: no finally blocks, no shutdown hooks
    }

    assertEquals("good", Files.readString(out.resolve("data.txt")), "readers still see the old output");
    assertTrue(Files.exists(dir.resolve(".out.lock")), "the killed run left its lock");

    StageResult rerun = StageOutput.at(new Configuration(), out.toString()).run(
        new StageSpec("test", "{\"v\":2}", List.of()), false,
        ctx -> Files.writeString(Path.of(ctx.dir().toUri()).resolve("data.txt"), "new"));
    assertFalse(rerun.skipped());
    assertEquals("new", Files.readString(out.resolve("data.txt")));
    try (var files = Files.list(dir)) {
      assertEquals(List.of("marker", "out"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "the stale lock and the half-written temporary folder are gone");
    }
  }
}
