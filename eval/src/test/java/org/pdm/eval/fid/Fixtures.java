package org.pdm.eval.fid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The committed fixtures of eval/src/test/python/make_fid_fixtures.py. */
final class Fixtures {
  private Fixtures() {}

  static Map<String, Npz.Array> npz(String name) throws IOException {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fid/" + name)) {
      if (in == null) {
        throw new IOException("missing fixture /fid/" + name + ": run eval/src/test/python/make_fid_fixtures.py");
      }
      return Npz.read(in, name);
    }
  }

  /** The stand-in TorchScript as a file. */
  static Path standIn(Path dir) throws IOException {
    Path p = dir.resolve("standin-inception.pt");
    if (!Files.exists(p)) {
      try (InputStream in = Fixtures.class.getResourceAsStream("/fid/standin-inception.pt")) {
        Files.copy(in, p);
      }
    }
    return p;
  }

  static float[][] rows(Npz.Array a) {
    int n = (int) a.shape()[0];
    int d = (int) a.shape()[1];
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        out[i][j] = (float) a.data()[i * d + j];
      }
    }
    return out;
  }

  /** /usr/bin/python3 with numpy, or null when this machine has none (tests then skip). */
  static String pythonWithNumpy() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0 ? "/usr/bin/python3" : null;
    } catch (IOException | InterruptedException e) {
      return null;
    }
  }
}
