package org.pdm.model.blocks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Ctx;
import org.pdm.model.nn.Rng;

class DropoutScheduleTest {

  @Test
  void decreasesLinearlyFromTheLowestResolution() {
    // index 0 = highest resolution
    assertArrayEquals(new double[] {0.0, 0.35 / 3, 0.7 / 3, 0.35},
        DropoutSchedule.rates(4, 0.35, 0.0), 1e-12);
    assertArrayEquals(new double[] {0.1, 0.2, 0.3}, DropoutSchedule.rates(3, 0.3, 0.1), 1e-12);
    assertArrayEquals(new double[] {0.35}, DropoutSchedule.rates(1, 0.35, 0.0), 0);
  }

  @Test
  void dropoutKeepsTheMeanAndIsOffInEval() {
    try (NDManager m = TestSupport.cpuManager()) {
      NDArray x = m.ones(new Shape(200, 100));
      NDArray y = new Dropout(0.35).forward(Ctx.train(m, new Rng(1)), x);
      float zeros = y.eq(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat();
      assertEquals(0.35, zeros, 0.01);
      assertEquals(1.0, y.mean().getFloat(), 0.02);
      assertEquals(x.sum().getFloat(), new Dropout(0.35).forward(Ctx.eval(m), x).sum().getFloat());
      assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
    }
  }
}
