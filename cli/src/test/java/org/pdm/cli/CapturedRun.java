package org.pdm.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs {@code pdm} in this JVM and keeps what it printed, for tests. */
record CapturedRun(int code, String out, String err) {
  static CapturedRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      int code = Main.run(args);
      return new CapturedRun(code, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
