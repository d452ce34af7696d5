package org.pdm.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.core.config.PdmConfig;

class SynthPlanTest {
  private static List<SynthItem> plan(String... overrides) {
    return SynthPlan.of(SynthConfig.from(PdmConfig.defaults().with(overrides)));
  }

  @Test
  void sameSeedSamePlanOtherSeedOtherPlan() {
    assertEquals(plan("synth.count=50"), plan("synth.count=50"));
    assertNotEquals(plan("synth.count=50"), plan("synth.count=50", "synth.seed=43"));
  }

  @Test
  void scapesAreSpreadAboveTheMinimumWithAShareOffSpec() {
    List<SynthItem> items = plan("synth.count=200", "synth.off-spec-fraction=0.25");
    long offSpec = items.stream().filter(i -> !i.offSpec().isEmpty()).count();
    assertEquals(50, offSpec);
    for (SynthItem i : items) {
      boolean fits = i.width() >= 2048 && i.height() >= 1024 && i.width() > i.height();
      assertEquals(i.offSpec().isEmpty(), fits, i.toString());
      assertTrue(i.width() <= 2048 * 2.6, i.toString());
    }
    assertTrue(items.stream().anyMatch(i -> i.offSpec().equals("portrait")));
    assertTrue(items.stream().anyMatch(i -> i.offSpec().equals("too-small")));
    assertTrue(items.stream().anyMatch(i -> i.width() > 4000), "sizes reach well above 2K");
    long png = items.stream().filter(i -> i.format().equals("png")).count();
    assertTrue(png > 25 && png < 75, "about a quarter PNG: " + png);
    assertEquals(200, items.stream().map(SynthItem::id).distinct().count(), "ids are unique");
  }

  @Test
  void peopleHaveBothSidesAtLeastTheMinimumUnlessTooSmall() {
    for (SynthItem i : plan("synth.count=100", "synth.kind=people")) {
      boolean fits = i.width() >= 2048 && i.height() >= 2048;
      assertEquals(i.offSpec().isEmpty(), fits, i.toString());
    }
  }
}
