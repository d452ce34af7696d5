package org.pdm.model.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.nn.Tensors;

class PatchDiscriminatorTest {
  @Test
  void hasTamingsLayoutAndParameterCount() {
    // taming's NLayerDiscriminator(3, 64, 3): convs 3->64 (bias), 64->128, 128->256 (stride 2),
    // 256->512 (stride 1), 512->1 (bias), 4x4; a norm (2C affine parameters) after the middle three
    long convs = 3 * 64 * 16 + 64 + 64 * 128 * 16 + 128 * 256 * 16 + 256 * 512 * 16 + 512 * 16 + 1;
    long norms = 2 * (128 + 256 + 512);
    assertEquals(convs + norms, new PatchDiscriminator(3, 64, 3).numParameters());
    assertEquals(30, PatchDiscriminator.logitSize(256, 3)); // pix2pix's 30x30 patches (70x70 RF)
  }

  @Test
  void givesOneLogitPerPatch() {
    AutoEncoderConfig c = (AutoEncoderConfig) TestSupport.conf("autoencoder-tiny.conf");
    PatchDiscriminator d = new PatchDiscriminator(c);
    try (NDManager m = TestSupport.cpuManager()) {
      d.initialize(m, 1);
      try (StepScope s = StepScope.open(d)) {
        NDArray x = Tensors.create(s.manager(), new Rng(2).normal(2 * 3 * 32 * 32),
            new Shape(2, 3, 32, 32));
        NDArray y = d.forward(Ctx.eval(s.manager()), x);
        int side = PatchDiscriminator.logitSize(32, c.discriminatorLayers());
        assertEquals(new Shape(2, 1, side, side), y.getShape());
        assertTrue(Float.isFinite(y.sum().getFloat()));
      }
    }
  }

  @Test
  void configKeysAreValidated() {
    String base = "model { type = autoencoder, image { height = 32, width = 32 }, channels = 8, "
        + "channel-mult = [1, 2], res-blocks = 1, latents { sizes = [[16, 16]], channels = [4] }, ";
    AutoEncoderConfig c = (AutoEncoderConfig) ModelConfigs.parse(base
        + "discriminator { ndf = 8, layers = 2 } }");
    assertEquals(8, c.discriminatorNdf());
    assertEquals(2, c.discriminatorLayers());
    AutoEncoderConfig d = (AutoEncoderConfig) ModelConfigs.parse(base + "}");
    assertEquals(64, d.discriminatorNdf());
    assertEquals(3, d.discriminatorLayers());
    IllegalArgumentException deep = assertThrows(IllegalArgumentException.class,
        () -> ModelConfigs.parse(base + "discriminator.layers = 4 }"));
    assertTrue(deep.getMessage().startsWith("model.discriminator.layers:"), deep.getMessage());
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> ModelConfigs.parse(base + "discriminator.nfd = 4 }"));
    assertTrue(typo.getMessage().contains("did you mean model.discriminator.ndf"), typo.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ModelConfigs.parse(base + "discriminator.ndf = 0 }"));
  }

  @Test
  void hingeAndAdaptiveWeightByHand() {
    try (NDManager m = TestSupport.cpuManager()) {
      NDArray real = Tensors.create(m, new float[] {2f, 0.5f});
      NDArray fake = Tensors.create(m, new float[] {-2f, 0f});
      // 0.5 * (mean(relu(1 - [2, 0.5])) + mean(relu(1 + [-2, 0]))) = 0.5 * (0.25 + 0.5)
      assertEquals(0.375, HingeLoss.discriminator(real, fake).getFloat(), 1e-7);
      assertEquals(1.0, HingeLoss.generator(fake).getFloat(), 1e-7);
    }
    assertEquals(0, HingeLoss.discFactor(9, 10, 1.0));
    assertEquals(0.7, HingeLoss.discFactor(10, 10, 0.7));
    assertEquals(0.5 * 2.0 / (1.0 + 1e-4), HingeLoss.adaptiveWeight(2.0, 1.0, 0.5), 1e-12);
    assertEquals(0.5 * 1e4, HingeLoss.adaptiveWeight(2.0, 0.0, 0.5), 1e-9); // clamped
  }
}
