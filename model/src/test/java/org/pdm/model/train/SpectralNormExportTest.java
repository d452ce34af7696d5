package org.pdm.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.model.TestSupport;
import org.pdm.model.blocks.Conv2dLayer;
import org.pdm.model.blocks.LinearLayer;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;

/** Spectrally normalised weights are exported under torch.nn.utils.spectral_norm's names. */
class SpectralNormExportTest {
  /** torch: conv = spectral_norm(Conv2d(3, 4, 3)), dense = spectral_norm(Linear(5, 6)), plain. */
  static final class Tiny extends Module {
    final Conv2dLayer conv = child("conv", new Conv2dLayer(3, 4, 3, true));
    final LinearLayer dense = child("dense", new LinearLayer(5, 6, true));
    final Conv2dLayer plain = child("plain", new Conv2dLayer(4, 2, 1, false));
  }

  @Test
  void namesAreTorchsAndTheyLoadBack(@TempDir Path tmp) throws Exception {
    try (NDManager m = TestSupport.cpuManager()) {
      Tiny net = new Tiny();
      net.initialize(m, 3);
      Map<String, NDArray> w = Checkpoint.weights(net);
      assertEquals(List.of("conv.weight_orig", "conv.bias", "conv.weight_u", "conv.weight_v",
          "dense.weight_orig", "dense.bias", "dense.weight_u", "dense.weight_v", "plain.weight",
          "plain.bias"), List.copyOf(w.keySet()));
      assertEquals(new Shape(4, 3, 3, 3), w.get("conv.weight_orig").getShape());
      assertEquals(new Shape(27), w.get("conv.weight_v").getShape());  // torch: (in * k * k,)
      assertEquals(new Shape(4), w.get("conv.weight_u").getShape());
      Path f = tmp.resolve("layers.safetensors");
      SafeTensors.write(f, w, Map.of());
      Tiny back = new Tiny();
      back.initialize(m, 4);
      Checkpoint.setWeights(back, SafeTensors.read(f));
      for (String k : net.parameters().keySet()) {
        assertEquals(net.parameters().get(k).value(), back.parameters().get(k).value(), k);
      }
    }
  }

  @Test
  void autoencoderExportRenamesOnlyTheSpectrallyNormalisedEncoder(@TempDir Path tmp)
      throws Exception {
    var c = TestSupport.conf("autoencoder-tiny.conf");
    try (NDManager m = TestSupport.cpuManager()) {
      Module ae = org.pdm.model.Models.build(c);
      ae.initialize(m, 1);
      Map<String, NDArray> w = Checkpoint.weights(ae);
      long orig = w.keySet().stream().filter(k -> k.endsWith(".weight_orig")).count();
      long u = w.keySet().stream().filter(k -> k.endsWith(".weight_u")).count();
      assertTrue(orig > 0 && orig == u, orig + " weight_orig, " + u + " weight_u");
      for (String k : w.keySet()) {
        if (k.endsWith(".weight")) {
          assertFalse(w.containsKey(k + "_u"), k + " is spectrally normalised but not renamed");
        }
      }
      assertTrue(w.keySet().stream().anyMatch(k -> k.startsWith("decoder") && k.endsWith(".weight")));
    }
  }

  /**
   * load_state_dict(strict=True) into torch modules with spectral_norm, and the same eval outputs.
   * Runs only where Debian's /usr/bin/python3 can import torch (python3-torch); skipped otherwise.
   */
  @Test
  void loadsStrictlyIntoTorchSpectralNorm(@TempDir Path tmp) throws Exception {
    assumeTrue(python("-c", "import torch") == 0, "/usr/bin/python3 with torch not available");
    try (NDManager m = TestSupport.cpuManager()) {
      Tiny net = new Tiny();
      net.initialize(m, 5);
      SafeTensors.write(tmp.resolve("layers.safetensors"), Checkpoint.weights(net), Map.of());
      Map<String, NDArray> io = new LinkedHashMap<>();
      try (StepScope s = StepScope.open(net)) {
        Ctx ctx = Ctx.eval(s.manager());
        Rng rng = new Rng(6);
        NDArray x = ctx.create(rng.normal(2 * 3 * 5 * 5), new Shape(2, 3, 5, 5));
        NDArray x2 = ctx.create(rng.normal(2 * 5), new Shape(2, 5));
        NDArray x3 = ctx.create(rng.normal(2 * 4 * 3 * 3), new Shape(2, 4, 3, 3));
        io.put("x", x);
        io.put("conv", net.conv.forward(ctx, x));
        io.put("x2", x2);
        io.put("dense", net.dense.forward(ctx, x2));
        io.put("x3", x3);
        io.put("plain", net.plain.forward(ctx, x3));
        SafeTensors.write(tmp.resolve("io.safetensors"), io, Map.of());
      }
      Path script = TestSupport.confDir().resolve("../../model/src/test/python/spectral_norm_torch.py")
          .normalize();
      Path log = tmp.resolve("log.txt");
      int rc = python(log, script.toString(), tmp.toString());
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, rc, out);
      assertTrue(out.startsWith("OK"), out);
      System.out.println("spectral_norm_torch.py: " + out.strip());
    }
  }

  private static int python(String... args) throws IOException, InterruptedException {
    return python(null, args);
  }

  private static int python(Path log, String... args) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
      return -1;
    }
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMP_NUM_THREADS", "1");
    if (log != null) {
      pb.redirectOutput(log.toFile());
    } else {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -2;
    }
    return p.exitValue();
  }
}
