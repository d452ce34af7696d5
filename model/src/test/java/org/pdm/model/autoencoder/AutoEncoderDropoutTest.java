package org.pdm.model.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.blocks.ResBlock;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.ModuleList;

/**
 * The autoencoder's dropout follows the paper's schedule (section 3.3): 0.35 at the lowest
 * resolution, decreasing linearly to {@code dropout.highest} (0) at the image resolution, for every
 * ResBlock of the encoder, the decoder and the decoder branches. Each block's expected rate is
 * computed here from the resolution it outputs, not taken from DropoutSchedule.
 */
class AutoEncoderDropoutTest {

  @Test
  void everyResBlockHasTheRateOfTheResolutionItOutputs() {
    for (String name : List.of("autoencoder-tiny.conf", "autoencoder-256.conf")) {
      AutoEncoderConfig c = (AutoEncoderConfig) TestSupport.conf(name);
      PyramidAutoEncoder ae = new PyramidAutoEncoder(c);
      int n = c.numResolutions();
      assertTrue(n >= 3, name);
      double lowest = c.dropoutLowest();
      double highest = c.dropoutHighest();
      assertEquals(0.35, lowest, 0, name + ": the paper's rate at the lowest resolution");
      // rate at backbone resolution i (0 = image resolution), linear in i
      double[] p = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = highest + (lowest - highest) * i / (n - 1);
      }
      Module enc = ae.children().get("encoder");
      Module dec = ae.children().get("decoder");
      int blocks = 0;
      // encoder: stage i runs at resolution i (its downsampling block outputs resolution i too)
      ModuleList<?> down = (ModuleList<?>) enc.children().get("down");
      for (int i = 0; i < n; i++) {
        blocks += check(rates(down.get(i)), p[i], name + " encoder down." + i);
      }
      blocks += check(rates(enc.children().get("mid")), p[n - 1], name + " encoder mid");
      blocks += check(rates(dec.children().get("mid")), p[n - 1], name + " decoder mid");
      // decoder: stage k runs at resolution n-1-k; its last block upsamples to n-2-k
      ModuleList<?> up = (ModuleList<?>) dec.children().get("up");
      for (int k = 0; k < n; k++) {
        int i = n - 1 - k;
        List<Double> r = rates(up.get(k));
        int last = i > 0 ? r.size() - 1 : r.size();
        blocks += check(r.subList(0, last), p[i], name + " decoder up." + k);
        if (i > 0) {
          blocks += check(r.subList(last, r.size()), p[i - 1], name + " decoder up." + k + " up");
        }
      }
      ModuleList<?> branches = (ModuleList<?>) dec.children().get("branches");
      for (int l = 0; l < c.latents().size(); l++) {
        int i = c.resolutionIndex(c.latents().get(l));
        blocks += check(rates(branches.get(l)), p[i], name + " decoder branch " + l);
      }
      assertEquals(count(ae), blocks, name + ": every ResBlock checked");
    }
  }

  private static int check(List<Double> rates, double expected, String where) {
    for (double r : rates) {
      assertEquals(expected, r, 1e-12, where);
    }
    return rates.size();
  }

  /** Dropout rates of the ResBlocks under {@code m}, in registration order. */
  private static List<Double> rates(Module m) {
    List<Double> out = new ArrayList<>();
    if (m instanceof ResBlock rb) {
      out.add(rb.dropoutRate());
    }
    for (Module c : m.children().values()) {
      out.addAll(rates(c));
    }
    return out;
  }

  private static int count(Module m) {
    return rates(m).size();
  }
}
