package org.pdm.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.preprocess.geometry.Geometry;
import org.pdm.preprocess.geometry.Resampler;

class PreprocessConfigTest {
  private static PreprocessConfig of(String... overrides) {
    return PreprocessConfig.from(PdmConfig.defaults().with(overrides));
  }

  private static String error(String... overrides) {
    return assertThrows(ConfigError.class, () -> of(overrides)).getMessage();
  }

  @Test
  void defaultsAreScapes2kLanczosRaw() {
    PreprocessConfig c = of();
    assertEquals("scapes2k", c.geometry().name());
    assertEquals(2048, c.geometry().width());
    assertEquals(Geometry.Shape.LANDSCAPE, c.geometry().orientation());
    assertEquals(Resampler.Filter.LANCZOS, c.filter());
    assertEquals("raw", c.encoder().format());
    assertEquals(6, c.encoder().pngLevel(), "for output.format = png");
    assertEquals(64L << 20, c.rowGroupBytes());
  }

  @Test
  void presetsFromTheConfFilesAndByName() {
    PreprocessConfig people = PreprocessConfig.from(PdmConfig.load("people2k", List.of(), new Properties()));
    assertEquals("people2k", people.geometry().name());
    assertEquals(2048, people.geometry().height());
    assertEquals(256, of("preprocess.preset=lsun-256").geometry().width());
    assertEquals(1024, of("preprocess.preset=celebahq-1024").geometry().minWidth());
  }

  @Test
  void customTakesItsOwnKeys() {
    PreprocessConfig c = of("preprocess.preset=custom", "preprocess.custom.size=\"640x480\"",
        "preprocess.custom.min-size=\"800x600\"", "preprocess.custom.orientation=portrait",
        "preprocess.custom.crop=none", "preprocess.custom.allow-upscale=true");
    assertEquals(new Geometry("custom", 640, 480, 800, 600, Geometry.Shape.PORTRAIT, Geometry.Crop.NONE, true),
        c.geometry());
  }

  @Test
  void nativeIsAutoByDefaultAndTheResolvedCodecsJoinTheRerunSpec() throws Exception {
    assertEquals("auto", of().nativeMode());
    assertEquals("off", of("preprocess.native=off").nativeMode());
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    // auto: which codecs this JVM resolved, where they change output bytes (deflate only for png).
    var raw = json.readTree(PreprocessJob.specJson(PdmConfig.defaults()));
    assertTrue(raw.get("native-resolved").asText().matches("jpeg (libturbojpeg|jdk)"), raw.toString());
    var png = json.readTree(PreprocessJob.specJson(PdmConfig.defaults().with("preprocess.output.format=png")));
    assertTrue(png.get("native-resolved").asText().matches("jpeg (libturbojpeg|jdk), png deflate (libdeflate|jdk)"));
    // off: the configuration alone (it says off).
    assertEquals(PdmConfig.defaults().with("preprocess.native=off").sectionJson("preprocess"),
        PreprocessJob.specJson(PdmConfig.defaults().with("preprocess.native=off")));
  }

  @Test
  void badValuesNameTheKeyAndWhatIsAllowed() {
    String preset = error("preprocess.preset=imagenet");
    assertTrue(preset.contains("pdm.preprocess.preset") && preset.contains("people2k"), preset);
    String webp = error("preprocess.output.format=webp");
    assertTrue(webp.contains("pdm.preprocess.output.format") && webp.contains("png, raw or jpeg"), webp);
    String gap = error("preprocess.reduce-gap=0.5");
    assertTrue(gap.contains("pdm.preprocess.reduce-gap"), gap);
    String size = error("preprocess.preset=custom", "preprocess.custom.size=\"big\"");
    assertTrue(size.contains("pdm.preprocess.custom.size") && size.contains("WIDTHxHEIGHT"), size);
    String distance = error("preprocess.filters.dedupe-distance=40");
    assertTrue(distance.contains("0 to 12"), distance);
    assertTrue(error("preprocess.filter=bicubic").contains("lanczos, area"));
    String nat = error("preprocess.native=yes");
    assertTrue(nat.contains("pdm.preprocess.native") && nat.contains("auto") && nat.contains("off"), nat);
  }
}
