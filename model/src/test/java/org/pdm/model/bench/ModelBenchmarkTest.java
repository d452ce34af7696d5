package org.pdm.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;

class ModelBenchmarkTest {

  @Test
  void reportsThroughputMemoryAndFlopsForBothModelKinds() {
    for (String name : new String[] {"unet-tiny.conf", "autoencoder-tiny.conf"}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ModelBenchmark.Report r = ModelBenchmark.run(TestSupport.confDir().resolve(name), 2, 2,
          new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String text = bytes.toString(StandardCharsets.UTF_8);
      assertEquals(name, r.config());
      assertTrue(r.stepsPerSecond() > 0 && r.samplesPerSecond() > 0, text);
      assertTrue(r.stepGflop() > 0 && r.matmulGflops() > 0 && r.rssMb() > 0, text);
      assertTrue(text.contains("steps/s") && text.contains("GFLOP/s") && text.contains("MB"), text);
    }
  }

  @Test
  void countsConvolutionFlopsFromShapes() {
    // a single 3x3 convolution 4 -> 8 on (2, 4, 5, 5): 2 * B * H * W * Cout * Cin * 9
    org.pdm.model.nn.FlopCounter counter = new org.pdm.model.nn.FlopCounter();
    try (ai.djl.ndarray.NDManager m = TestSupport.cpuManager()) {
      org.pdm.model.blocks.Conv2dLayer conv = new org.pdm.model.blocks.Conv2dLayer(4, 8, 3, false);
      conv.initialize(m, 0);
      conv.forward(org.pdm.model.nn.Ctx.eval(m).withFlops(counter),
          m.zeros(new ai.djl.ndarray.types.Shape(2, 4, 5, 5)));
    }
    assertEquals(2.0 * 2 * 5 * 5 * 8 * 4 * 9, counter.total());
  }
}
