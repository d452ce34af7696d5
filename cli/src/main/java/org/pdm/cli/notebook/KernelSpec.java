package org.pdm.cli.notebook;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Installs the rapaio Java kernel for this checkout under {@code target/jupyter/} (no global install):
 * {@code kernels/pdm-java/kernel.json} with the flags every pdm JVM needs, and {@code lib/}, links to
 * the jars of bin/pdm's class path, which a notebook's first cell adds with {@code %jar ../target/jupyter/lib/}.
 * Jupyter finds the kernel with {@code JUPYTER_PATH=target/jupyter} ({@link #environment()}).
 *
 * <p>The class path is added in a cell, not through the kernel's {@code RJK_CLASSPATH}: with our 200
 * jars there the kernel did not answer Jupyter's first request within 60 s.
 */
public final class KernelSpec {
  /** The kernel's name in notebooks' metadata ({@code kernelspec.name}). */
  public static final String NAME = "pdm-java";
  /** Where bin/pdm's build copies the kernel jar (cli/pom.xml, execution jupyter-kernel). */
  static final String KERNEL_JAR = "cli/target/jupyter-kernel/rapaio-jupyter-kernel.jar";
  static final String CLASSPATH = "cli/target/classpath.txt";
  static final String JVM_FLAGS = "bin/jvm-flags";

  private final Path root;
  private final String heap;

  public KernelSpec(Path root, String heap) {
    this.root = root.toAbsolutePath().normalize();
    this.heap = heap;
  }

  /** {@code target/jupyter}: JUPYTER_PATH and JUPYTER_DATA_DIR. */
  public Path jupyterDir() {
    return root.resolve("target/jupyter");
  }

  public Path kernelJson() {
    return jupyterDir().resolve("kernels/" + NAME + "/kernel.json");
  }

  public Path libDir() {
    return jupyterDir().resolve("lib");
  }

  /** Writes kernel.json and the jar links; safe to repeat (both are rebuilt from the current build). */
  public void install() throws IOException {
    Path kernelJar = root.resolve(KERNEL_JAR);
    Path classpath = root.resolve(CLASSPATH);
    for (Path p : List.of(kernelJar, classpath, root.resolve(JVM_FLAGS))) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(p + " is missing: build the project first (mvn -DskipTests package, "
            + "or any bin/pdm command, which builds when needed)");
      }
    }
    linkJars(jars(classpath));
    Files.createDirectories(kernelJson().getParent());
    Files.writeString(kernelJson(), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
        .toJson(kernel(kernelJar)) + "\n", StandardCharsets.UTF_8);
  }

  /** The cli jar first, then bin/pdm's class path, as bin/pdm builds it. */
  List<Path> jars(Path classpathFile) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root.resolve("cli/target"))) {
      s.filter(p -> p.getFileName().toString().matches("pdm-cli-.*\\.jar")).sorted().forEach(out::add);
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no cli/target/pdm-cli-*.jar: build the project first (mvn -DskipTests package)");
    }
    for (String entry : Files.readString(classpathFile, StandardCharsets.UTF_8).trim().split(":")) {
      if (!entry.isBlank()) {
        out.add(Path.of(entry));
      }
    }
    return out;
  }

  /** Replaces the links in lib/ (this class's own folder under target/) with one per jar. */
  private void linkJars(List<Path> jars) throws IOException {
    Path lib = libDir();
    Files.createDirectories(lib);
    try (Stream<Path> old = Files.list(lib)) {
      for (Path p : old.toList()) {
        if (!Files.isSymbolicLink(p)) {
          throw new IllegalStateException(p + " is not a link that pdm notebook made; remove it by hand");
        }
        Files.delete(p);
      }
    }
    for (Path jar : jars) {
      Path link = lib.resolve(jar.getFileName().toString());
      // Two artifacts may share a file name; the second keeps its folder's name as a prefix.
      if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        link = lib.resolve(jar.getParent().getFileName() + "-" + jar.getFileName());
      }
      Files.createSymbolicLink(link, jar.toAbsolutePath());
    }
  }

  private Map<String, Object> kernel(Path kernelJar) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(Arrays.asList(Files.readString(root.resolve(JVM_FLAGS), StandardCharsets.UTF_8).trim().split("\\s+")));
    argv.addAll(List.of("-Xmx" + heap, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1",
        "-DDJL_CACHE_DIR=" + root.resolve(".cache/djl"),
        "-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2.properties"),
        "-jar", kernelJar.toString(), "{connection_file}"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OPT_OUT_TRACKING", "true");
    env.put("DJL_CACHE_DIR", root.resolve(".cache/djl").toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("RJK_TIMEOUT_MILLIS", "-1");
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("argv", argv);
    k.put("display_name", "Java (pdm)");
    k.put("language", "java");
    k.put("interrupt_mode", "message");
    k.put("env", env);
    return k;
  }

  /** What Jupyter needs to find this kernel and keep its files in the project. */
  public Map<String, String> environment() {
    String dir = jupyterDir().toString();
    return Map.of("JUPYTER_PATH", dir, "JUPYTER_DATA_DIR", dir, "OPT_OUT_TRACKING", "true");
  }
}
