package org.pdm.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs {@code pdm} in this JVM and keeps what it printed, for tests. */
public record CapturedRun(int code, String out, String err) {
  /** {@code pdm args} in the work folder {@code work}, without progress lines, on {@code local[2]}. */
  public static CapturedRun inWork(java.nio.file.Path work, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 3);
    all[args.length] = "work-dir=" + work;
    all[args.length + 1] = "progress.enabled=false";
    all[args.length + 2] = "spark.master=\"local[2]\"";
    return of(all);
  }

  public static CapturedRun of(String... args) {
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
