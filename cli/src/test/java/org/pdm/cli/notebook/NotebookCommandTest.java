package org.pdm.cli.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.pdm.cli.Main;

class NotebookCommandTest {
  @Test
  void refusesABadPortOrHeapBeforeInstallingAnything() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true));
      assertEquals(2, Main.run("notebook", "--port", "0"));
      assertEquals(2, Main.run("notebook", "--heap", "lots"));
    } finally {
      System.setErr(old);
    }
    assertTrue(err.toString().contains("--port must be 1-65535"), err.toString());
    assertTrue(err.toString().contains("--heap lots"), err.toString());
  }

  @Test
  void findsTheCheckoutItRunsFrom() {
    assertTrue(java.nio.file.Files.isRegularFile(ProjectRoot.find().resolve("bin/pdm")));
  }
}
