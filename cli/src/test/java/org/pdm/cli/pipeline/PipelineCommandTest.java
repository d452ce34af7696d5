package org.pdm.cli.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.cli.CapturedRun;

/** {@code pdm pipeline} and {@code pdm status} on the tiny chain (synth -> ingest -> preprocess) in a temp work folder. */
class PipelineCommandTest {
  @TempDir
  Path dir;

  /** {@code pdm args} on the tiny chain; the test's own key=value settings win over the chain's. */
  private CapturedRun pdm(String... args) {
    List<String> command = java.util.Arrays.stream(args).filter(a -> !a.contains("=")).toList();
    String[] settings = java.util.Arrays.stream(args).filter(a -> a.contains("=")).toArray(String[]::new);
    return CapturedRun.inWork(dir.resolve("work"), TinyChain.args(command, settings));
  }

  @Test
  void runsTheChainOnceThenSkipsEverythingAndReports() throws Exception {
    Path work = dir.resolve("work");
    CapturedRun plan = pdm("pipeline", "--to", "preprocess", "--dry-run");
    assertEquals(0, plan.code(), plan.err());
    assertTrue(plan.out().contains("run  synth") && plan.out().contains("(missing)"), plan.out());
    assertTrue(plan.out().contains("run  preprocess") && plan.out().contains("its input changes when synth runs"),
        plan.out());
    assertFalse(Files.exists(work.resolve("synth")), "a dry run writes nothing");

    CapturedRun first = pdm("pipeline", "--to", "preprocess");
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("preprocess: wrote"), first.out());
    // The synth folder stands for its flickr.csv: no image file is read as a text line.
    assertTrue(first.out().matches("(?s).*\\n  skipped-blank-lines +0\\n.*"), first.out());
    assertTrue(first.out().matches("(?s).*\\n  kept +8\\n.*"), first.out());
    String html = Files.readString(work.resolve("report.html"));
    assertTrue(html.contains("data:image/png;base64,"), "the contact sheet is embedded");
    assertTrue(Files.readString(work.resolve("report.md")).contains("| preprocess | ran |"));

    CapturedRun second = pdm("pipeline", "--to", "preprocess");
    assertEquals(0, second.code(), second.err());
    assertEquals(3, second.out().split("is up to date", -1).length - 1, second.out());
    assertTrue(second.out().contains("skip synth") && second.out().contains("skip preprocess"), second.out());

    CapturedRun status = pdm("status");
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().matches("(?s).*preprocess +\\S+ +up to date.*"), status.out());
    assertTrue(status.out().matches("(?s).*encode +\\S+ +missing.*"), status.out());

    // A changed preprocess setting redoes preprocess only; the stages before it stay.
    CapturedRun changed = pdm("pipeline", "--to", "preprocess", "--dry-run", "preprocess.filter=area");
    assertTrue(changed.out().contains("skip ingest") && changed.out().contains("run  preprocess")
        && changed.out().contains("configuration changed"), changed.out());
  }

  @Test
  void aLargerStepTargetContinuesTrainingAndAChangedSettingRedoesIt() throws Exception {
    Path work = dir.resolve("work");
    CapturedRun first = pdm("pipeline", "--to", "train-autoencoder");
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("autoencoder: wrote"), first.out());

    CapturedRun plan = pdm("pipeline", "--to", "train-autoencoder", "--dry-run", "train.steps=9");
    assertTrue(plan.out().contains("skip preprocess") && plan.out().matches(
        "(?s).*run  train-autoencoder .*configuration changed.*"), plan.out());
    assertTrue(plan.out().matches("(?s).*\\n {7}encode .*after --to.*"), plan.out());
    CapturedRun more = pdm("pipeline", "--to", "train-autoencoder", "train.steps=9");
    assertEquals(0, more.code(), more.out() + more.err());
    assertTrue(more.err().contains("resuming") && more.err().contains("at step 6"), "goes on from step 6: " + more.err());
    assertTrue(more.out().matches("(?s).*\\n  steps +9\\n.*"), more.out());

    // Another learning rate is another run: started over, in the stage's own folder.
    CapturedRun other = pdm("pipeline", "--to", "train-autoencoder", "train.steps=9", "train.autoencoder.lr=2e-4");
    assertEquals(0, other.code(), other.out() + other.err());
    assertTrue(other.err().contains("the chain redoes it") && !other.err().contains("resuming"), other.err());
    assertTrue(Files.exists(work.resolve("autoencoder/checkpoint/checkpoint.json")));

    CapturedRun status = pdm("status", "train.steps=9", "train.autoencoder.lr=2e-4");
    assertTrue(status.out().matches("(?s).*train-autoencoder +\\S+ +up to date.*"), status.out());
    assertTrue(status.out().matches("(?s).*encode +\\S+ +missing.*"), status.out());
  }

  @Test
  void aSecondPipelineOnTheSameWorkFolderExitsThreeAndBadStagesExitTwo() throws Exception {
    Path work = dir.resolve("work");
    Files.createDirectories(work);
    // The lock as a live run leaves it: this JVM's pid on this host.
    Files.writeString(work.resolve(".pipeline.lock"), InetAddress.getLocalHost().getHostName() + " "
        + ProcessHandle.current().pid() + " 2026-12-03T00:00:00Z");
    CapturedRun locked = pdm("pipeline", "--to", "synth");
    assertEquals(3, locked.code(), locked.out() + locked.err());
    assertTrue(locked.err().contains("a pipeline is already running") && locked.err().contains(
        String.valueOf(ProcessHandle.current().pid())), locked.err());
    assertFalse(Files.exists(work.resolve("synth")));

    CapturedRun bad = pdm("pipeline", "--from", "trian");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("--from trian is not a stage") && bad.err().contains("preprocess"), bad.err());
  }

  @Test
  void aReportFileThatIsNotOursIsNotOverwritten() throws Exception {
    Path work = dir.resolve("work");
    Files.createDirectories(work);
    Files.writeString(work.resolve("report.html"), "<p>my notes</p>");
    CapturedRun r = pdm("pipeline", "--to", "synth");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("is not a pdm run report"), r.err());
    assertEquals("<p>my notes</p>", Files.readString(work.resolve("report.html")));
  }
}
