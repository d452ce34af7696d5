package org.pdm.cli.notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdm notebook}: installs the Java kernel inside the checkout ({@link KernelSpec}) and starts
 * Jupyter on 127.0.0.1 with {@code notebooks/}; with {@code --execute}, runs every notebook headless
 * instead ({@link NotebookExecutor}), as CI does. Exit codes: 0 done, 1 a notebook failed,
 * 2 Jupyter or the build is missing.
 */
@Command(name = "notebook", mixinStandardHelpOptions = true,
    description = {"Install the Java kernel in the project (target/jupyter) and start Jupyter on 127.0.0.1 "
        + "with notebooks/.", "With --execute: run every notebook headless into target/notebooks/ instead."})
public final class NotebookCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8888", description = "Jupyter's port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--execute", description = "Run every notebook with jupyter nbconvert --execute; a failing cell fails the command.")
  boolean execute;

  @Option(names = "--out", paramLabel = "DIR", description = "Where --execute writes the executed copies and logs (default target/notebooks).")
  Path out;

  @Option(names = "--retries", defaultValue = "2", description = "Retries of a notebook whose kernel did not start (default ${DEFAULT-VALUE}); failing cells are never retried.")
  int retries;

  @Option(names = "--cell-timeout", defaultValue = "1800", paramLabel = "SECONDS", description = "Longest a cell may run under --execute (default ${DEFAULT-VALUE}).")
  int cellTimeout;

  @Option(names = "--heap", defaultValue = "4g", description = "The kernel JVM's heap (default ${DEFAULT-VALUE}).")
  String heap;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (port < 1 || port > 65535 || retries < 0 || cellTimeout < 1 || !heap.matches("[1-9][0-9]*[kKmMgG]?")) {
      System.err.println("pdm notebook: --port must be 1-65535, --retries >= 0, --cell-timeout >= 1 and --heap a JVM "
          + "size such as 4g (got --port " + port + " --retries " + retries + " --cell-timeout " + cellTimeout
          + " --heap " + heap + ")");
      return 2;
    }
    Path root;
    KernelSpec kernel;
    try {
      root = ProjectRoot.find();
      kernel = new KernelSpec(root, heap);
      kernel.install();
    } catch (IllegalStateException e) {
      System.err.println("pdm notebook: " + e.getMessage());
      return 2;
    }
    System.out.println("pdm notebook: kernel '" + KernelSpec.NAME + "' installed in " + kernel.jupyterDir());
    if (!jupyterHas(execute ? "nbconvert" : "notebook")) {
      System.err.println("pdm notebook: Jupyter's " + (execute ? "nbconvert" : "notebook server")
          + " is missing: apt-get install " + (execute ? "jupyter-nbconvert jupyter-client python3-ipykernel python3-nbclient"
          : "jupyter-notebook") + " (Debian), or pip install " + (execute ? "nbconvert" : "notebook"));
      return 2;
    }
    Path notebooks = root.resolve("notebooks");
    if (execute) {
      Path dir = out != null ? out : root.resolve("target/notebooks");
      NotebookExecutor ex = new NotebookExecutor(List.of("jupyter"), kernel.environment(), dir, cellTimeout, retries);
      List<NotebookExecutor.Result> results = ex.runAll(NotebookExecutor.notebooks(notebooks), System.out);
      return results.stream().allMatch(NotebookExecutor.Result::ok) ? 0 : 1;
    }
    List<String> cmd = new ArrayList<>(List.of("jupyter", "notebook", "--no-browser", "--ip=127.0.0.1",
        "--port=" + port, "--notebook-dir=" + notebooks));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.add("--allow-root"); // containers run as root; Jupyter refuses to start there without it
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().putAll(kernel.environment());
    System.out.println("pdm notebook: starting Jupyter on 127.0.0.1:" + port + " with " + notebooks
        + " (Ctrl-C stops it)");
    Process jupyterServer = pb.start();
    // Ctrl-C reaches Jupyter through the terminal; a kill of this JVM alone must not leave it running.
    Runtime.getRuntime().addShutdownHook(new Thread(jupyterServer::destroy));
    return jupyterServer.waitFor();
  }

  /** True when {@code jupyter <sub> --version} runs. */
  private static boolean jupyterHas(String sub) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("jupyter", sub, "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
