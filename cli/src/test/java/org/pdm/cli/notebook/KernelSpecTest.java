package org.pdm.cli.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSpecTest {
  @TempDir
  Path root;

  private Path jar(String path) throws Exception {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "jar");
    return p;
  }

  private void checkout() throws Exception {
    jar(KernelSpec.KERNEL_JAR);
    jar("cli/target/pdm-cli-0.1.0.jar");
    Path a = jar("m2/a/1/spark-core-4.2.0.jar");
    Path b = jar("m2/b/1/util.jar");
    Path c = jar("m2/c/2/util.jar"); // the same file name as b's: both must be linked
    Files.writeString(root.resolve(KernelSpec.CLASSPATH), a + ":" + b + ":" + c + "\n");
    Files.createDirectories(root.resolve("bin"));
    Files.writeString(root.resolve(KernelSpec.JVM_FLAGS), "--add-opens=java.base/java.lang=ALL-UNNAMED -Dx=1\n");
  }

  @Test
  void writesAKernelWithEveryPdmJvmFlagAndLinksBinPdmsClassPath() throws Exception {
    checkout();
    KernelSpec spec = new KernelSpec(root, "3g");
    spec.install();

    JsonObject k = JsonParser.parseString(Files.readString(spec.kernelJson())).getAsJsonObject();
    List<String> argv = new ArrayList<>();
    k.getAsJsonArray("argv").forEach(e -> argv.add(e.getAsString()));
    assertTrue(argv.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), argv.toString());
    assertTrue(argv.containsAll(List.of("-Dx=1", "-Xmx3g", "-Dai.djl.offline=true")), argv.toString());
    assertTrue(argv.contains("-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2.properties")), argv.toString());
    assertEquals(List.of("-jar", root.resolve(KernelSpec.KERNEL_JAR).toString(), "{connection_file}"),
        argv.subList(argv.size() - 3, argv.size()));
    JsonObject env = k.getAsJsonObject("env");
    assertEquals("true", env.get("OPT_OUT_TRACKING").getAsString());
    assertEquals(root.resolve(".cache/djl").toString(), env.get("DJL_CACHE_DIR").getAsString());
    assertEquals("127.0.0.1", env.get("SPARK_LOCAL_IP").getAsString());
    assertEquals(root.resolve("target/jupyter/kernels/pdm-java/kernel.json"), spec.kernelJson());

    try (var links = Files.list(spec.libDir())) {
      List<String> names = links.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("2-util.jar", "pdm-cli-0.1.0.jar", "spark-core-4.2.0.jar", "util.jar"), names);
    }
    assertEquals(root.resolve("m2/c/2/util.jar"), Files.readSymbolicLink(spec.libDir().resolve("2-util.jar")));
    assertEquals(spec.jupyterDir().toString(), spec.environment().get("JUPYTER_PATH"));

    // A second install (after a rebuild) replaces the links, with no stale ones left.
    Files.writeString(root.resolve(KernelSpec.CLASSPATH), root.resolve("m2/b/1/util.jar") + "\n");
    spec.install();
    try (var links = Files.list(spec.libDir())) {
      assertEquals(2, links.count());
    }
  }

  @Test
  void refusesWithoutABuildAndLeavesFilesItDidNotMake() throws Exception {
    KernelSpec spec = new KernelSpec(root, "3g");
    IllegalStateException missing = assertThrows(IllegalStateException.class, spec::install);
    assertTrue(missing.getMessage().contains("build the project first"), missing.getMessage());

    checkout();
    Files.createDirectories(spec.libDir());
    Files.writeString(spec.libDir().resolve("notes.txt"), "mine");
    IllegalStateException foreign = assertThrows(IllegalStateException.class, spec::install);
    assertTrue(foreign.getMessage().contains("notes.txt"), foreign.getMessage());
    assertEquals("mine", Files.readString(spec.libDir().resolve("notes.txt")));
  }
}
