package org.pdm.cli.notebook;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Executes notebooks headless with {@code jupyter nbconvert --execute --to notebook} into an output
 * folder (never over the committed file), one at a time, retrying a notebook only when its kernel did
 * not start ({@link KernelStartFailure}). Each run's nbconvert output is kept as {@code <name>.log}.
 */
public final class NotebookExecutor {
  /** One notebook's outcome. */
  public record Result(Path notebook, int exitCode, int attempts, double seconds, Path log) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private final List<String> jupyter;
  private final Map<String, String> env;
  private final Path out;
  private final int cellTimeoutSeconds;
  private final int retries;

  /**
   * @param jupyter the command that runs jupyter ({@code [jupyter]}; tests pass a script)
   * @param env environment added to the process (JUPYTER_PATH and friends)
   */
  public NotebookExecutor(List<String> jupyter, Map<String, String> env, Path out, int cellTimeoutSeconds,
      int retries) {
    this.jupyter = List.copyOf(jupyter);
    this.env = Map.copyOf(env);
    this.out = out;
    this.cellTimeoutSeconds = cellTimeoutSeconds;
    this.retries = retries;
  }

  /** The notebooks of a folder, by name (checkpoint copies left out). */
  public static List<Path> notebooks(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
    }
  }

  public List<Result> runAll(List<Path> notebooks, PrintStream log) throws IOException, InterruptedException {
    Files.createDirectories(out);
    List<Result> results = new ArrayList<>();
    for (Path nb : notebooks) {
      Result r = run(nb, log);
      results.add(r);
      log.printf("notebook %-24s %s in %.1f s (%d attempt%s); executed copy %s, log %s%n", nb.getFileName(),
          r.ok() ? "ran" : "FAILED", r.seconds(), r.attempts(), r.attempts() == 1 ? "" : "s",
          out.resolve(nb.getFileName()), r.log());
    }
    return results;
  }

  Result run(Path notebook, PrintStream log) throws IOException, InterruptedException {
    String name = notebook.getFileName().toString();
    Path logFile = out.resolve(name.replaceAll("\\.ipynb$", "") + ".log");
    long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      List<String> cmd = new ArrayList<>(jupyter);
      cmd.addAll(List.of("nbconvert", "--to", "notebook", "--execute",
          "--ExecutePreprocessor.timeout=" + cellTimeoutSeconds,
          "--output-dir", out.toAbsolutePath().toString(), notebook.toAbsolutePath().toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile());
      pb.environment().putAll(env);
      int code = pb.start().waitFor();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (code == 0) {
        return new Result(notebook, 0, attempt, seconds, logFile);
      }
      String text = Files.readString(logFile, StandardCharsets.UTF_8);
      if (attempt > retries || !KernelStartFailure.matches(text)) {
        return new Result(notebook, code, attempt, seconds, logFile);
      }
      log.println("notebook " + name + ": the kernel did not start (attempt " + attempt + "), retrying");
    }
  }
}
