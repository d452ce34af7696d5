package org.pdm.core.stage;

/** The version of the code that wrote an output: the jar's version, or "dev" when run from classes. */
public final class CodeVersion {
  private CodeVersion() {}

  public static String get() {
    String v = CodeVersion.class.getPackage().getImplementationVersion();
    return v != null ? v : System.getProperty("pdm.version", "dev");
  }
}
