package org.pdm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation reads the EMA weights when the run keeps an EMA: with a decay so close to 1 that the
 * EMA stays at the initial weights, the validation loss hardly moves while training does (it moves
 * a little: the spectral-norm buffers are copied, not averaged, and the latent scaler's std is
 * still warming up); with ema-decay 0 (no EMA) it reads the trained weights and moves.
 */
class EmaValidationTest {
  @TempDir
  Path dir;

  private List<Double> validation(String name, String emaDecay, String expectedWeights) throws Exception {
    Path out = dir.resolve(name);
    assertEquals(0, TrainEndToEndTest.train("flow", "--latents", dir.resolve("latents").toString(), "--out",
        out.toString(), "--steps", "10", "work-dir=" + dir.resolve("work"), "train.batch-size=4",
        "train.validation-fraction=0.2", "train.validate-every=5", "train.checkpoint-every=10",
        "train.sample-every=0", "train.flow.lr=2e-3", "train.flow.ema-decay=" + emaDecay));
    assertEquals(List.of(expectedWeights, expectedWeights),
        TrainEndToEndTest.strings(out.resolve("metrics.jsonl"), "val_weights"));
    return TrainEndToEndTest.values(out.resolve("metrics.jsonl"), "val_loss");
  }

  @Test
  void validationReadsTheEmaWeightsWhenTheRunKeepsThem() throws Exception {
    TrainFixtures.latents(dir.resolve("latents"), 24, 5);
    List<Double> ema = validation("ema", "0.999999", "ema");
    List<Double> raw = validation("raw", "0", "raw");
    double emaMoved = Math.abs(ema.get(1) - ema.get(0));
    double rawMoved = Math.abs(raw.get(1) - raw.get(0));
    assertTrue(rawMoved > 1e-2 * raw.get(0), "the trained weights move: " + raw);
    assertTrue(emaMoved < 0.1 * rawMoved, "the EMA stays near the initial weights: " + ema + " vs raw " + raw);
    assertTrue(Math.abs(raw.get(0) - ema.get(0)) > 1e-2 * raw.get(0), "raw " + raw + " vs EMA " + ema);
  }
}
