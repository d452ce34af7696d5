package org.pdm.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.model.Models;
import org.pdm.model.TestSupport;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.flow.Pyramid;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;
import org.pdm.model.nn.Rng;
import org.pdm.model.nn.StepScope;
import org.pdm.model.unet.PyramidUNet;

/**
 * Runs one forward pass (batch 1) of every config in conf/model that fits a test's CPU budget and
 * checks the output shapes; allocated sizes equal the shapes declared. The 1024 and 2K autoencoders
 * are only built (ModelConfigsTest): one forward pass at those sizes takes minutes on a CPU.
 */
class ConfigShapesTest {

  static void check(String name) {
    ModelConfig c = TestSupport.conf(name);
    Module net = Models.build(c);
    try (NDManager m = TestSupport.cpuManager()) {
      net.initialize(m, 0);
      long allocated = 0;
      for (Param p : net.trainableParameters().values()) {
        allocated += p.value().getShape().size();
      }
      assertEquals(net.numParameters(), allocated, name);
      try (StepScope s = StepScope.open(net)) {
        Ctx ctx = Ctx.eval(s.manager());
        Rng rng = new Rng(1);
        if (net instanceof PyramidUNet unet) {
          List<Shape> shapes = ((UNetConfig) c).levels().stream()
              .map(l -> new Shape(1, l.channels(), l.height(), l.width())).toList();
          NDList v = unet.forward(ctx, Pyramid.normal(s.manager(), shapes, rng),
              Pyramid.time(s.manager(), 1, 0.5));
          for (int i = 0; i < shapes.size(); i++) {
            assertEquals(shapes.get(i), v.get(i).getShape(), name + " level " + i);
          }
        } else {
          AutoEncoderConfig a = (AutoEncoderConfig) c;
          PyramidAutoEncoder ae = (PyramidAutoEncoder) net;
          Shape img = new Shape(1, a.imageChannels(), a.imageHeight(), a.imageWidth());
          NDList z = ae.encode(ctx, ctx.create(rng.uniform((int) img.size(), -1, 1), img)).mode();
          for (int i = 0; i < z.size(); i++) {
            LevelSpec l = a.latents().get(i);
            assertEquals(new Shape(1, l.channels(), l.height(), l.width()), z.get(i).getShape());
          }
          NDArray x = ae.decode(ctx, z);
          assertEquals(img, x.getShape(), name);
        }
      }
    }
  }

  @Test
  void tinyConfigs() {
    check("unet-tiny.conf");
    check("unet-tiny-single.conf");
    check("autoencoder-tiny.conf");
  }

  @Test
  void paperScaleUNets() {
    check("unet-256.conf");
    check("unet-1024.conf");
    check("unet-people2k.conf");
    check("unet-scapes2k.conf");
  }

  @Test
  void autoencoder256() {
    check("autoencoder-256.conf");
  }
}
