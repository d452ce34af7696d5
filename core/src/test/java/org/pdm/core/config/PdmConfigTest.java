package org.pdm.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.synth.SynthConfig;

class PdmConfigTest {
  private static PdmConfig load(String conf, String... overrides) {
    return PdmConfig.load(conf, List.of(overrides), new Properties());
  }

  @Test
  void defaultsAreDocumentedValues() {
    PdmConfig c = PdmConfig.defaults();
    assertEquals("local[*]", c.settings("spark").string("master"));
    assertEquals(24, c.settings("synth").intIn("count", 1, 100));
  }

  @Test
  void precedenceIsDefaultsThenPresetThenPropertiesThenArguments() {
    assertEquals(96, load("demo").settings("synth").intIn("count", 1, 100));
    Properties props = new Properties();
    props.setProperty("pdm.synth.count", "7");
    props.setProperty("unrelated.key", "x");
    PdmConfig withProp = PdmConfig.load("demo", List.of(), props);
    assertEquals(7, withProp.settings("synth").intIn("count", 1, 100));
    PdmConfig withArg = PdmConfig.load("demo", List.of("synth.count=9", "pdm.synth.seed=3"), props);
    assertEquals(9, withArg.settings("synth").intIn("count", 1, 100));
    assertEquals(3, withArg.settings("synth").longIn("seed", 0, 10));
  }

  @Test
  void laterArgumentsWin() {
    assertEquals(5, load(null, "synth.count=4", "synth.count=5").settings("synth").intIn("count", 1, 100));
  }

  @Test
  void presetsSetTheirKind() {
    assertEquals("people", SynthConfig.from(load("people2k")).kind());
    assertEquals(2048, SynthConfig.from(load("people2k")).minHeight());
    assertEquals(1024, SynthConfig.from(load("scapes2k")).minHeight());
  }

  @Test
  void readsAConfigFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mine.conf");
    Files.writeString(file, "pdm.synth { count = 3, kind = people }\n");
    PdmConfig c = load(file.toString());
    assertEquals(3, SynthConfig.from(c).count());
    assertEquals(file.toString(), c.source());
  }

  @Test
  void unknownKeyIsNamedWithASuggestion() {
    ConfigError e = assertThrows(ConfigError.class, () -> load(null, "synth.cuont=3"));
    assertTrue(e.getMessage().contains("'pdm.synth.cuont'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'pdm.synth.count'"), e.getMessage());
  }

  @Test
  void unknownKeyInAFileIsRefusedToo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "pdm.sparkk.master = \"local[1]\"\n");
    ConfigError e = assertThrows(ConfigError.class, () -> load(file.toString()));
    assertTrue(e.getMessage().contains("pdm.sparkk.master"), e.getMessage());
  }

  @Test
  void wrongTypesAreNamed() {
    ConfigError notInt = assertThrows(ConfigError.class, () -> load(null, "synth.count=abc"));
    assertTrue(notInt.getMessage().contains("pdm.synth.count") && notInt.getMessage().contains("not an integer"),
        notInt.getMessage());
    ConfigError fraction = assertThrows(ConfigError.class, () -> load(null, "synth.count=2.5"));
    assertTrue(fraction.getMessage().contains("not an integer"), fraction.getMessage());
    ConfigError notBool = assertThrows(ConfigError.class, () -> load(null, "progress.enabled=maybe"));
    assertTrue(notBool.getMessage().contains("pdm.progress.enabled"), notBool.getMessage());
    ConfigError notSection = assertThrows(ConfigError.class, () -> load(null, "synth.kind={a=1}"));
    assertTrue(notSection.getMessage().contains("pdm.synth.kind"), notSection.getMessage());
  }

  @Test
  void outOfRangeValuesNameKeyValueAndRange() {
    ConfigError e = assertThrows(ConfigError.class, () -> SynthConfig.from(load(null, "synth.count=0")));
    assertEquals("pdm.synth.count = 0 is out of range: allowed 1 to 1000000", e.getMessage());
    ConfigError kind = assertThrows(ConfigError.class, () -> SynthConfig.from(load(null, "synth.kind=cats")));
    assertTrue(kind.getMessage().contains("one of scapes, people"), kind.getMessage());
    ConfigError size = assertThrows(ConfigError.class, () -> SynthConfig.from(load(null, "synth.min-size=2048by1024")));
    assertTrue(size.getMessage().contains("WIDTHxHEIGHT"), size.getMessage());
    ConfigError interval = assertThrows(ConfigError.class,
        () -> load(null, "progress.interval=1ms").settings("progress").duration("interval",
            java.time.Duration.ofMillis(200), java.time.Duration.ofMinutes(10)));
    assertTrue(interval.getMessage().contains("pdm.progress.interval"), interval.getMessage());
  }

  @Test
  void aDecimalDefaultTakesFractionsEvenWhenItIsWhole() {
    // pdm.preprocess.reduce-gap defaults to 1.0, which Typesafe stores as an integer.
    PdmConfig c = load(null, "preprocess.reduce-gap=1.5", "synth.jpeg-quality=1");
    assertEquals(1.5, c.raw().getDouble("pdm.preprocess.reduce-gap"));
    assertThrows(ConfigError.class, () -> load(null, "synth.count=1.5"));
  }

  @Test
  void sparkConfTakesAWholeObjectWithQuotedKeys() {
    PdmConfig c = load(null, "spark.conf={\"spark.sql.shuffle.partitions\"=2}");
    assertEquals(2, c.raw().getInt("pdm.spark.conf.\"spark.sql.shuffle.partitions\""));
  }

  @Test
  void sparkConfIsFreeForm() {
    PdmConfig c = load(null, "spark.conf.\"spark.sql.shuffle.partitions\"=3");
    assertEquals(3, c.raw().getInt("pdm.spark.conf.\"spark.sql.shuffle.partitions\""));
  }

  @Test
  void urlsAndPathsStayWhole() {
    PdmConfig c = load(null, "work-dir=file:///data/x//y", "synth.min-size=64x32");
    assertEquals("file:///data/x//y", c.settings("").string("work-dir"));
    assertEquals(64, SynthConfig.from(c).minWidth());
  }

  @Test
  void badArgumentsAndMissingFilesAreExplained() {
    assertTrue(assertThrows(ConfigError.class, () -> load(null, "justakey")).getMessage().contains("key=value"));
    ConfigError missing = assertThrows(ConfigError.class, () -> load("/nonexistent/x.conf"));
    assertTrue(missing.getMessage().contains("presets: demo"), missing.getMessage());
  }

  @Test
  void sectionJsonIsStableAndSorted() {
    String a = load(null, "synth.seed=1", "synth.count=2").sectionJson("synth");
    String b = load(null, "synth.count=2", "synth.seed=1").sectionJson("synth");
    assertEquals(a, b);
    assertTrue(a.indexOf("\"count\"") < a.indexOf("\"seed\""));
  }
}
