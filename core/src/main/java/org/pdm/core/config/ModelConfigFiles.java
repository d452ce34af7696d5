package org.pdm.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Finds a model config given on a command line: a file as given, or a name shipped in conf/model. */
public final class ModelConfigFiles {
  private ModelConfigFiles() {}

  /** A file as given, or a config shipped in the jar under conf/model, copied to a temporary file. */
  public static Path resolve(String nameOrFile) throws IOException {
    Path file = Path.of(nameOrFile);
    if (Files.isRegularFile(file)) {
      return file;
    }
    String name = file.getFileName().toString().replaceFirst("\\.conf$", "");
    try (InputStream in = ModelConfigFiles.class.getClassLoader()
        .getResourceAsStream(PdmConfig.RESOURCE_DIR + "model/" + name + ".conf")) {
      if (in == null) {
        throw new ConfigError("--config " + nameOrFile + ": no such file, and no conf/model/" + name
            + ".conf; try unet-tiny, unet-256, autoencoder-tiny or autoencoder-256");
      }
      Path copy = Files.createTempFile("pdm-model-" + name, ".conf");
      copy.toFile().deleteOnExit();
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    }
  }
}
