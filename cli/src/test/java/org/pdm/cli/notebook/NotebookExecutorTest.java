package org.pdm.cli.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retry rule against a stand-in for jupyter that fails the way nbconvert does. */
class NotebookExecutorTest {
  @TempDir
  Path dir;

  /** A fake jupyter that prints {@code outputs[n]} on its n-th call and exits 1, then succeeds. */
  private List<String> fakeJupyter(String... outputs) throws Exception {
    Path script = dir.resolve("jupyter");
    StringBuilder sb = new StringBuilder("#!/bin/sh\nn=$(cat \"" + dir + "/calls\" 2>/dev/null || echo 0)\n"
        + "echo $((n + 1)) > \"" + dir + "/calls\"\ncase $n in\n");
    for (int i = 0; i < outputs.length; i++) {
      Path text = dir.resolve("output" + i);
      Files.writeString(text, outputs[i] + "\n");
      sb.append(i).append(") cat \"").append(text).append("\"; exit 1;;\n");
    }
    sb.append("esac\necho \"ran $*\"; echo \"JUPYTER_PATH=$JUPYTER_PATH\"\n");
    Files.writeString(script, sb.toString());
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return List.of(script.toString());
  }

  private NotebookExecutor.Result run(List<String> jupyter) throws Exception {
    Path nb = dir.resolve("a.ipynb");
    Files.writeString(nb, "{}");
    NotebookExecutor ex = new NotebookExecutor(jupyter, Map.of("JUPYTER_PATH", "/k"), dir.resolve("out"), 60, 2);
    return ex.runAll(List.of(nb), new PrintStream(new ByteArrayOutputStream())).get(0);
  }

  @Test
  void retriesAKernelThatDidNotStartThenRunsIntoTheOutputFolder() throws Exception {
    NotebookExecutor.Result r = run(fakeJupyter("RuntimeError: Kernel didn't respond in 60 seconds",
        "RuntimeError: Kernel died before replying to kernel_info"));
    assertTrue(r.ok());
    assertEquals(3, r.attempts());
    String log = Files.readString(r.log());
    assertTrue(log.contains("nbconvert --to notebook --execute"), log);
    assertTrue(log.contains("--output-dir " + dir.resolve("out")), log);
    assertTrue(log.contains("JUPYTER_PATH=/k"), log);
  }

  @Test
  void neverRetriesAFailingCell() throws Exception {
    NotebookExecutor.Result r = run(fakeJupyter("nbclient.exceptions.CellExecutionError: An error occurred"));
    assertFalse(r.ok());
    assertEquals(1, r.attempts());
  }

  @Test
  void givesUpAfterTheRetries() throws Exception {
    String noStart = "RuntimeError: Kernel didn't respond in 60 seconds";
    NotebookExecutor.Result r = run(fakeJupyter(noStart, noStart, noStart));
    assertFalse(r.ok());
    assertEquals(3, r.attempts());
  }

  @Test
  void aCellErrorMentioningTheStartMessageIsStillACellError() {
    assertFalse(KernelStartFailure.matches("CellExecutionError: ... Kernel didn't respond in 60 seconds"));
    assertTrue(KernelStartFailure.matches("RuntimeError: Kernel didn't respond in 60 seconds"));
  }
}
