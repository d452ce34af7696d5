package org.pdm.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/** bin/jvm-flags (used by bin/pdm) and the pom's flags (tests) must be the ones this Spark asks for. */
class JvmFlagsTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @Test
  void binPdmPassesSparksModuleOptions() throws Exception {
    assertEquals(JavaModuleOptions.defaultModuleOptions(), Files.readString(ROOT.resolve("bin/jvm-flags")).trim());
  }

  @Test
  void testsRunWithSparksModuleOptions() throws Exception {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    String flags = pom.substring(pom.indexOf("<pdm.jvm.flags>") + 15, pom.indexOf("</pdm.jvm.flags>"));
    assertEquals(JavaModuleOptions.defaultModuleOptions(), flags.trim());
  }
}
