package org.pdm.eval.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
  @TempDir
  Path tmp;

  @Test
  void readsNumpySavezFloat64AndCompressedFloat32() throws IOException {
    GaussianStats f64 = GaussianStats.fromNpz(Fixtures.npz("numpy-stats.npz"), "f64");
    GaussianStats f32 = GaussianStats.fromNpz(Fixtures.npz("numpy-stats-f32z.npz"), "f32");
    assertEquals(16, f64.dim());
    for (int i = 0; i < f64.sigma().length; i++) {
      assertEquals(f64.sigma()[i], f32.sigma()[i], 1e-6 * Math.max(1, Math.abs(f64.sigma()[i])));
    }
    assertEquals(f64.sigma()[1], f64.sigma()[16], 0.0); // symmetric, read in C order
  }

  @Test
  void writesWhatNumpyLoadsAndReadsWhatNumpyWrites() throws Exception {
    String python = Fixtures.pythonWithNumpy();
    assumeTrue(python != null, "needs /usr/bin/python3 with numpy (apt-get install python3-numpy)");
    Random rng = new Random(2);
    double[] mu = rng.doubles(5).toArray();
    double[] sigma = rng.doubles(25).toArray();
    Path ours = tmp.resolve("ours.npz");
    Files.write(ours, Npz.bytes(new GaussianStats(0, mu, sigma).toNpz()));
    Path back = tmp.resolve("numpy.npz");
    String script = "import numpy as np\n"
        + "f = np.load('" + ours + "')\n"
        + "assert f['mu'].shape == (5,) and f['sigma'].shape == (5, 5) and f['mu'].dtype == np.float64\n"
        + "print(repr(float(f['mu'][3])), repr(float(f['sigma'][2, 4])))\n"
        + "np.savez_compressed('" + back + "', mu=f['mu'], sigma=np.asfortranarray(f['sigma'].T).T.astype('>f8'))\n";
    Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    String[] values = out.split(" ");
    assertEquals(mu[3], Double.parseDouble(values[0]), 0.0);
    assertEquals(sigma[2 * 5 + 4], Double.parseDouble(values[1]), 0.0);
    GaussianStats again = GaussianStats.fromNpz(Npz.read(Files.readAllBytes(back), "back"), "back");
    assertArrayEquals(mu, again.mu(), 0.0);
    assertArrayEquals(sigma, again.sigma(), 0.0); // big-endian, Fortran order and deflate all read
  }

  @Test
  void refusesAnNpzWithoutMuAndSigma() throws IOException {
    byte[] bytes = Npz.bytes(Map.of("x", Npz.Array.vector(new double[] {1, 2})));
    IOException e = assertThrows(IOException.class, () -> GaussianStats.fromNpz(Npz.read(bytes, "f.npz"), "f.npz"));
    assertEquals(true, e.getMessage().contains("mu and sigma"), e.getMessage());
  }
}
