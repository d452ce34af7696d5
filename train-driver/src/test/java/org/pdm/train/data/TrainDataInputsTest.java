package org.pdm.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.ConfigError;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;

/** What the stream is given: stage folders, data folders, and clear errors for the rest; the config keys. */
class TrainDataInputsTest {
  static final Configuration CONF = new Configuration();
  static final TrainDataConfig CFG = new TrainDataConfig(4, 2, 1, 0, 0);

  @TempDir
  java.nio.file.Path tmp;

  private List<TinyParquet.ImageRow> rows(int n) {
    List<TinyParquet.ImageRow> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TinyParquet.raw("r" + i, 4, 4));
    }
    return out;
  }

  @Test
  void readsPreprocessOutputFolderByItsManifest() throws Exception {
    String out = tmp.resolve("preprocess").toString();
    StageOutput.at(CONF, out).run(new StageSpec(WorkLayout.PREPROCESS.stage(), "{}", List.of()), true,
        ctx -> TinyParquet.images(CONF, new Path(ctx.path("dataset"), "part-0.parquet"), rows(6), 4));
    try (ParquetBatchStream s = TrainData.open(CONF, out, TrainData.Kind.IMAGES, CFG, 2, StreamPosition.start(0))) {
      assertEquals(6, s.trainingRows());
      assertEquals(2, s.next().size());
    }
    try (ValidationBatches none = TrainData.validation(CONF, out, TrainData.Kind.IMAGES, CFG, 2)) {
      assertEquals(0, none.rows(), "validation-fraction 0 holds nothing out");
      assertEquals(null, none.next());
    }
    StagePathException e = assertThrows(StagePathException.class,
        () -> TrainData.open(CONF, out, TrainData.Kind.LATENTS, CFG, 2, StreamPosition.start(0)));
    assertTrue(e.getMessage().contains("holds the output of preprocess"), e.getMessage());
  }

  @Test
  void namesAMissingPathAndAnEmptyFolder() throws IOException {
    String missing = tmp.resolve("nowhere").toString();
    StagePathException e = assertThrows(StagePathException.class,
        () -> TrainData.open(CONF, missing, TrainData.Kind.IMAGES, CFG, 2, StreamPosition.start(0)));
    assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("does not exist"), e.getMessage());
    java.nio.file.Path empty = Files.createDirectories(tmp.resolve("empty"));
    Files.writeString(empty.resolve("notes.txt"), "x");
    e = assertThrows(StagePathException.class,
        () -> TrainData.open(CONF, empty.toString(), TrainData.Kind.IMAGES, CFG, 2, StreamPosition.start(0)));
    assertTrue(e.getMessage().contains("holds no Parquet file") && e.getMessage().contains("notes.txt"),
        e.getMessage());
  }

  @Test
  void namesAFileThatIsNotParquet() throws IOException {
    java.nio.file.Path dir = Files.createDirectories(tmp.resolve("broken"));
    Files.write(dir.resolve("part-0.parquet"), new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class,
        () -> TrainData.open(CONF, dir.toString(), TrainData.Kind.IMAGES, CFG, 2, StreamPosition.start(0)));
    assertTrue(e.getMessage().contains("cannot read") && e.getMessage().contains("part-0.parquet"), e.getMessage());
  }

  @Test
  void aFileGoneAfterOpeningStopsTheStreamNamingIt() throws IOException {
    String dir = tmp.resolve("gone").toString();
    TinyParquet.images(CONF, new Path(dir, "part-0.parquet"), rows(8), 4);
    try (ParquetBatchStream s = TrainData.open(CONF, dir, TrainData.Kind.IMAGES,
        new TrainDataConfig(4, 1, 1, 0, 0), 2, StreamPosition.start(0))) {
      Files.delete(tmp.resolve("gone").resolve("part-0.parquet"));
      IOException e = assertThrows(IOException.class, () -> {
        for (int i = 0; i < 4; i++) {
          s.next();
        }
      });
      assertTrue(e.getMessage().contains("part-0.parquet"), e.getMessage());
      IOException again = assertThrows(IOException.class, s::next);
      assertTrue(again.getMessage().contains("earlier error"), again.getMessage());
    }
  }

  @Test
  void refusesABatchLargerThanTheTrainingSplitAndAPositionPastTheEpoch() throws IOException {
    String dir = tmp.resolve("small").toString();
    TinyParquet.images(CONF, new Path(dir, "part-0.parquet"), rows(5), 4);
    ConfigError e = assertThrows(ConfigError.class,
        () -> TrainData.open(CONF, dir, TrainData.Kind.IMAGES, CFG, 6, StreamPosition.start(0)));
    assertTrue(e.getMessage().contains("5 training rows"), e.getMessage());
    IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
        () -> TrainData.open(CONF, dir, TrainData.Kind.IMAGES, CFG, 2, new StreamPosition(0, 0, 3)));
    assertTrue(past.getMessage().contains("gives 2 batches of 2 per epoch"), past.getMessage());
  }

  @Test
  void readsTheTrainSectionKeys() {
    var train = ConfigFactory.parseString("data { shuffle-buffer = 256, prefetch-batches = 4, threads = 2 }\n"
        + "validation-fraction = 0.05\nmax-bad-rows = 100");
    assertEquals(new TrainDataConfig(256, 4, 2, 0.05, 100), TrainDataConfig.from(train));
    ConfigError e = assertThrows(ConfigError.class,
        () -> TrainDataConfig.from(ConfigFactory.parseString("data.shuffle-buffer = 0").withFallback(train)));
    assertTrue(e.getMessage().contains("pdm.train.data.shuffle-buffer = 0"), e.getMessage());
    e = assertThrows(ConfigError.class,
        () -> TrainDataConfig.from(ConfigFactory.parseString("validation-fraction = 1").withFallback(train)));
    assertTrue(e.getMessage().contains("pdm.train.validation-fraction"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> TrainDataConfig.from(train.withoutPath("max-bad-rows")));
    assertTrue(e.getMessage().contains("pdm.train.max-bad-rows is missing"), e.getMessage());
  }
}
