package org.pdm.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.pdm.model.Models;
import org.pdm.model.TestSupport;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;

class ModelConfigsTest {
  private static final String UNET = """
      model {
        type = unet
        levels { sizes = [[8, 8], [4, 4]], channels = [4, 8] }
        channels = 16
        channel-mult = [1, 2]
        res-blocks = 1
      }
      """;

  static List<Path> allConfigs() throws Exception {
    try (Stream<Path> s = Files.list(TestSupport.confDir())) {
      return s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
  }

  @Test
  void everyConfigInConfModelBuildsAndRoundTripsThroughRender() throws Exception {
    List<Path> files = allConfigs();
    assertTrue(files.size() >= 9, "configs found: " + files);
    for (Path f : files) {
      ModelConfig c = ModelConfigs.load(f);
      assertEquals(c, ModelConfigs.parse(c.render()), f.toString()); // records compare all fields
      Module net = Models.build(c); // parameters declared, nothing allocated (2K included)
      long declared = 0;
      for (Param p : net.trainableParameters().values()) {
        declared += p.shape().size();
        assertFalse(p.isInitialized());
      }
      assertEquals(declared, net.numParameters());
      assertTrue(net.numParameters() > 10_000, f + ": " + net.numParameters());
    }
  }

  @Test
  void compressionOfTheHighResolutionAutoencodersIsThePapers() {
    // CelebA-1024 1:256 (Fig. 10, 16x16x32 + 8x8x64); PEOPLE2K 1:205 (Fig. 9): 2048*2048*3 /
    // (32*32*32 + 16*16*64 + 8*8*128 + 4*4*256) = 204.8; SCAPES2K (not reported) as CelebA's 1:256
    for (String name : List.of("autoencoder-1024.conf", "autoencoder-scapes2k.conf")) {
      assertEquals(256.0, ((AutoEncoderConfig) TestSupport.conf(name)).compression(), 1e-9, name);
    }
    double people = ((AutoEncoderConfig) TestSupport.conf("autoencoder-people2k.conf")).compression();
    assertEquals(204.8, people, 1e-9);
    assertEquals(205, Math.round(people));
  }

  @Test
  void mismatchedListLengthsAreRefusedNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfigs.parse(UNET.replace("channels = [4, 8]", "channels = [4, 8, 16]")));
    assertTrue(e.getMessage().startsWith("model.levels.channels:"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfigs.parse(UNET.replace("res-blocks = 1", "res-blocks = [1, 2, 2]")));
    assertTrue(e.getMessage().startsWith("model.res-blocks:"), e.getMessage());
    assertTrue(e.getMessage().contains("model.channel-mult"), e.getMessage());
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertMessage("model.type:", UNET.replace("type = unet", "type = gan"));
    assertMessage("model.channels:", UNET.replace("channels = 16", "channels = -1"));
    assertMessage("model.levels.sizes:", UNET.replace("[[8, 8], [4, 4]]", "[[8, 8], [3, 3]]"));
    assertMessage("model.levels.sizes:", UNET.replace("[[8, 8], [4, 4]]", "[[4, 4], [8, 8]]"));
    assertMessage("model.dropout.lowest:", UNET.replace("res-blocks = 1",
        "res-blocks = 1\n dropout.lowest = 1.5"));
    assertMessage("model.time-embedding:", UNET.replace("res-blocks = 1",
        "res-blocks = 1\n time-embedding = sine"));
    assertMessage("model.channel-mult:", UNET.replace("[1, 2]", "[1, 2, 2, 2, 2]"));
    String ae = Files.exists(TestSupport.confDir().resolve("autoencoder-tiny.conf"))
        ? TestSupport.conf("autoencoder-tiny.conf").render() : "";
    assertMessage("model.latents.sizes:", ae.replace("8,\n", "16,\n"));
  }

  @Test
  void unknownKeysAreRefusedWithTheClosestKnownKey() {
    // a typo used to leave the default in place silently
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfigs.parse(UNET.replace("res-blocks = 1", "res-blocks = 1\n dropout.lowst = 0.2")));
    assertEquals("model.dropout.lowst: unknown key (did you mean model.dropout.lowest?)",
        e.getMessage());
    String ae = TestSupport.conf("autoencoder-tiny.conf").render();
    assertMessage("model.kl-wieght: unknown key (did you mean model.kl-weight?)",
        ae.replace("\"kl-weight\"", "\"kl-wieght\""));
    assertMessage("model.colour: unknown key; the known keys are [", UNET.replace("res-blocks = 1",
        "res-blocks = 1\n colour = red"));
  }

  private static void assertMessage(String prefix, String hocon) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelConfigs.parse(hocon));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
  }

  @Test
  void oneLevelWithoutBranchBlocksIsPlainNcsnpp() {
    Module net = Models.build(TestSupport.conf("unet-tiny-single.conf"));
    for (String name : net.parameters().keySet()) {
      if (name.startsWith("branch_")) {
        // only NCSN++'s input convolution and output head remain of the branches
        assertTrue(name.startsWith("branch_in.0.conv.") || name.startsWith("branch_out.0.head."),
            name);
      }
    }
  }
}
