package org.pdm.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestCommandTest {
  @TempDir
  Path out;

  @Test
  void theSummaryNamesOnlyOutputsThatExist() throws Exception {
    Files.createDirectories(out.resolve("raw"));
    Files.writeString(out.resolve("stats.json"), "{}");
    assertEquals("  raw images: " + out + "/raw/   stats: " + out + "/stats.json",
        IngestCommand.whereTo(new Configuration(), out.toString()));
    Files.createDirectories(out.resolve("rejects"));
    assertEquals("  raw images: " + out + "/raw/   rejects: " + out + "/rejects/   stats: " + out + "/stats.json",
        IngestCommand.whereTo(new Configuration(), out.toString()));
  }
}
