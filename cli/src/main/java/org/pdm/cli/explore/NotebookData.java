package org.pdm.cli.explore;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pdm.cli.Main;
import org.pdm.core.stage.StageManifest;
import org.pdm.core.stage.WorkLayout;

/**
 * The notebooks' data when there is none yet: {@link NotebookChain}'s command ({@code pdm demo}: synth
 * through eval ablation, a trained tiny autoencoder and flow at 32x32) run through {@code pdm}'s own main
 * in the notebook's JVM. A stage that is already up to date skips itself, so an interrupted chain
 * resumes where it stopped, and a finished {@code bin/pdm demo} is used as it is.
 */
public final class NotebookData {
  private NotebookData() {}

  /** The stages' outputs in {@code workDir}, made first when the chain has not finished there. */
  public static WorkLayout ensure(Path workDir, int images) {
    Path work = workDir.toAbsolutePath().normalize();
    WorkLayout layout = new WorkLayout(work.toString());
    if (NotebookChain.complete(work)) {
      return layout;
    }
    refuseUntrainedAutoencoder(work);
    // One intra-op thread, as PDM_JAVA_OPTS does for bin/pdm on a shared machine: libtorch's default
    // (every core) fights Spark's task threads (measured 9x slower sampling under load, docs/eval-sample.md).
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", "1");
    }
    for (List<String> command : NotebookChain.commands(images)) {
      pdm(work, command);
    }
    return layout;
  }

  /**
   * Earlier notebooks left {@code pdm model init}'s untrained autoencoder in this folder; training
   * refuses to replace it without {@code --force}, and this class does not delete what it finds.
   */
  private static void refuseUntrainedAutoencoder(Path work) {
    Path manifest = work.resolve(WorkLayout.AUTOENCODER.stage()).resolve(StageManifest.FILE);
    if (!Files.isRegularFile(manifest)) {
      return;
    }
    boolean init;
    try {
      JsonObject root = JsonParser.parseString(Files.readString(manifest, StandardCharsets.UTF_8)).getAsJsonObject();
      init = root.has("config") && root.getAsJsonObject("config").has("init");
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + manifest + ": " + e.getMessage(), e);
    }
    if (init) {
      throw new IllegalStateException(work + " holds an untrained autoencoder from pdm model init (made by an "
          + "earlier version of these notebooks), which training does not replace: delete " + work
          + " and run the cell again, or point workDir at another folder");
    }
  }

  private static void pdm(Path work, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("work-dir=\"" + work + "\"", "progress.enabled=false", "spark.master=\"local[2]\""));
    int code = Main.run(all.toArray(String[]::new));
    if (code != 0) {
      throw new IllegalStateException("pdm " + String.join(" ", all) + " exited with " + code
          + " (its message is above)");
    }
  }
}
