package org.pdm.cli;

import org.pdm.core.stage.CodeVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code pdm --version}. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"pdm " + CodeVersion.get() + " (Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java "
        + System.getProperty("java.version") + ")"};
  }
}
