package org.pdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MainTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      int code = Main.run(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void helpListsTheWorkingSubcommands() {
    Run r = run("--help");
    assertEquals(0, r.code());
    for (String command : new String[] {"synth", "demo", "config"}) {
      assertTrue(r.out().contains("  " + command + " "), r.out());
    }
  }

  @Test
  void configPrintsTheResolvedConfiguration() {
    Run r = run("config", "--conf", "people2k", "synth.count=5");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("# resolved from people2k"), r.out());
    assertTrue(r.out().contains("count=5") || r.out().contains("count = 5"), r.out());
    assertTrue(r.out().contains("kind=people") || r.out().contains("kind = people"), r.out());
  }

  @Test
  void badConfigurationStopsWithExitCode2AndNamesTheKey() {
    Run range = run("synth", "--count", "0");
    assertEquals(2, range.code());
    assertTrue(range.err().contains("pdm.synth.count = 0 is out of range"), range.err());
    Run unknown = run("config", "synth.colour=red");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown configuration key 'pdm.synth.colour'"), unknown.err());
    Run preset = run("demo", "--conf", "nosuchpreset");
    assertEquals(2, preset.code());
    assertTrue(preset.err().contains("presets: demo, scapes2k, people2k"), preset.err());
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    Run r = run("train-everything");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Unmatched argument"), r.err());
  }
}
