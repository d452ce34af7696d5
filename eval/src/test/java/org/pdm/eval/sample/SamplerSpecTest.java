package org.pdm.eval.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.model.config.LevelSpec;
import org.pdm.model.flow.EulerSampler;
import org.pdm.model.flow.Rk45Sampler;

class SamplerSpecTest {
  @Test
  void parsesEulerAndRk45WithThePapersDefaults() {
    assertEquals("euler:200", SamplerSpec.parse("euler").label());
    assertEquals("euler:50", SamplerSpec.parse(" Euler:50 ").label());
    assertEquals("rk45:1e-05", SamplerSpec.parse("rk45").label());
    assertEquals(1e-3, SamplerSpec.parse("rk45:1e-3").tolerance());
    assertTrue(SamplerSpec.parse("euler:2").build() instanceof EulerSampler);
    assertTrue(SamplerSpec.parse("rk45").build() instanceof Rk45Sampler);
  }

  @Test
  void refusesWhatItCannotRun() {
    for (String bad : List.of("heun", "euler:0", "euler:x", "rk45:0", "rk45:2", "")) {
      var e = assertThrows(IllegalArgumentException.class, () -> SamplerSpec.parse(bad));
      assertTrue(e.getMessage().contains("euler:N"), e.getMessage());
    }
  }

  @Test
  void noiseDependsOnSeedAndIndexOnly() {
    List<LevelSpec> levels = List.of(new LevelSpec(8, 8, 4), new LevelSpec(4, 4, 8));
    float[][] a = SampleNoise.draw(3, 17, levels);
    assertEquals(256, a[0].length);
    assertEquals(128, a[1].length);
    assertEquals(a[0][5], SampleNoise.draw(3, 17, levels)[0][5]);
    assertNotEquals(a[0][0], SampleNoise.draw(3, 18, levels)[0][0]);
    assertNotEquals(a[0][0], SampleNoise.draw(4, 17, levels)[0][0]);
    // (seed, index) pairs that a plain sum would confuse
    assertNotEquals(SampleNoise.seed(1, 0), SampleNoise.seed(0, 1));
  }
}
