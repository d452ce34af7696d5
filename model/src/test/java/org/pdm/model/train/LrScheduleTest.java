package org.pdm.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.model.Models;
import org.pdm.model.TestSupport;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.nn.Module;

class LrScheduleTest {
  @Test
  void cosineFallsFromLrToZeroAfterTheWarmup() {
    TrainConfig c = TrainConfig.defaults().withLr(1e-3).withWarmup(10)
        .withSchedule(TrainConfig.Schedule.COSINE, 110);
    assertEquals(1e-4, c.lrAt(0), 1e-15);
    assertEquals(1e-3, c.lrAt(9), 1e-15);
    assertEquals(1e-3, c.lrAt(10), 1e-15);
    assertEquals(0.5e-3, c.lrAt(60), 1e-15); // halfway: (1 + cos(pi/2)) / 2
    assertEquals(1e-3 * (1 + Math.cos(Math.PI * 0.25)) / 2, c.lrAt(35), 1e-15);
    assertEquals(0, c.lrAt(110), 1e-15);
    assertEquals(0, c.lrAt(1000), 1e-15);
    TrainConfig constant = c.withSchedule(TrainConfig.Schedule.CONSTANT, 0);
    assertEquals(1e-3, constant.lrAt(1000), 1e-15);
    assertEquals(1e-4, constant.lrAt(0), 1e-15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.withSchedule(TrainConfig.Schedule.COSINE, 10));
    assertTrue(e.getMessage().contains("total-steps"), e.getMessage());
  }

  @Test
  void readsScheduleKeys() {
    TrainConfig c = TrainConfig.fromConfig(ConfigFactory.parseString(
        "lr = 1e-3, warmup-steps = 0, schedule = cosine, total-steps = 4"));
    assertEquals(TrainConfig.Schedule.COSINE, c.schedule());
    assertEquals(0.5e-3, c.lrAt(2), 1e-15);
    assertEquals(TrainConfig.Schedule.CONSTANT,
        TrainConfig.fromConfig(ConfigFactory.parseString("lr = 1e-3")).schedule());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.fromConfig(ConfigFactory.parseString("schedule = linear")));
    assertTrue(e.getMessage().contains("constant or cosine"), e.getMessage());
  }

  /** A schedule survives a checkpoint, and a checkpoint written before it existed still loads. */
  @Test
  void checkpointsKeepTheScheduleAndOldOnesLoadAsConstant(@TempDir Path tmp) throws Exception {
    ModelConfig config = TestSupport.conf("unet-tiny.conf");
    TrainConfig cosine = TrainConfig.defaults().withWarmup(2).withLr(1e-3)
        .withSchedule(TrainConfig.Schedule.COSINE, 50);
    try (NDManager root = TestSupport.cpuManager()) {
      Module net = Models.build(config);
      net.initialize(root.newSubManager(), 1);
      Path dir = tmp.resolve("ckpt");
      Checkpoint.save(dir, config, new Trainer(net, cosine), null);
      assertEquals(cosine, Checkpoint.resume(dir, root, root.getDevice()).trainer().config());
      // a version-1 checkpoint of before the schedule: no schedule, no totalSteps
      Path meta = dir.resolve("checkpoint.json");
      JsonObject json = JsonParser.parseString(Files.readString(meta)).getAsJsonObject();
      JsonObject train = json.getAsJsonObject("train");
      train.remove("schedule");
      train.remove("totalSteps");
      Files.writeString(meta, json.toString());
      TrainConfig old = Checkpoint.resume(dir, root, root.getDevice()).trainer().config();
      assertEquals(TrainConfig.Schedule.CONSTANT, old.schedule());
      assertEquals(1e-3, old.lrAt(40), 1e-15);
      assertEquals(cosine.lrAt(0), old.lrAt(0), 1e-15);
    }
  }
}
