package org.pdm.cli.notebook;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout this code runs from: the folder above the cli module that holds {@code bin/pdm}. */
public final class ProjectRoot {
  private ProjectRoot() {}

  /**
   * Walks up from where this class was loaded ({@code cli/target/classes} or {@code cli/target/pdm-cli-*.jar}).
   *
   * @throws IllegalStateException under spark-submit or any other run outside a checkout
   */
  public static Path find() {
    Path start;
    try {
      start = Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("cannot tell where pdm is installed: " + e.getMessage(), e);
    }
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("bin/pdm")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("pdm notebook runs from a checkout of the project (with bin/pdm), not from "
        + start + "; run it as bin/pdm notebook");
  }
}
