package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
  private static CapturedRun run(String... args) {
    return CapturedRun.of(args);
  }

  @Test
  void helpListsTheWorkingSubcommands() {
    CapturedRun r = run("--help");
    assertEquals(0, r.code());
    for (String command : new String[] {"synth", "train", "demo", "config"}) {
      assertTrue(r.out().contains("  " + command + " "), r.out());
    }
  }

  @Test
  void configPrintsTheResolvedConfiguration() {
    CapturedRun r = run("config", "--conf", "people2k", "synth.count=5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("# resolved from people2k"), r.out());
    assertTrue(r.out().contains("count=5") || r.out().contains("count = 5"), r.out());
    assertTrue(r.out().contains("kind=people") || r.out().contains("kind = people"), r.out());
  }

  @Test
  void badConfigurationStopsWithExitCode2AndNamesTheKey() {
    CapturedRun range = run("synth", "--count", "0");
    assertEquals(2, range.code());
    assertTrue(range.err().contains("pdm.synth.count = 0 is out of range"), range.err());
    CapturedRun unknown = run("config", "synth.colour=red");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown configuration key 'pdm.synth.colour'"), unknown.err());
    CapturedRun preset = run("demo", "--conf", "nosuchpreset");
    assertEquals(2, preset.code());
    assertTrue(preset.err().contains("presets: demo, scapes2k, people2k"), preset.err());
  }

  @Test
  void benchModelNamesAMissingConfig() {
    CapturedRun r = run("bench", "model", "--config", "unet-huge");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no conf/model/unet-huge.conf"), r.err());
  }

  @Test
  void evalFidNamesAMissingSideAndAMissingExtractorBeforeSparkStarts() {
    CapturedRun help = run("eval", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("fid") && help.out().contains("fetch-inception"), help.out());
    CapturedRun side = run("eval", "fid", "--real", "no/such/dir", "--fake", "no/such/dir");
    assertEquals(2, side.code());
    assertTrue(side.err().contains("--real") && side.err().contains("does not exist"), side.err());
    CapturedRun net = run("eval", "fid", "--real", ".", "--fake", ".", "eval.inception=no/such.pt");
    assertEquals(2, net.code());
    assertTrue(net.err().contains("pdm.eval.inception"), net.err());
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    CapturedRun r = run("train-everything");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Unmatched argument"), r.err());
  }
}
