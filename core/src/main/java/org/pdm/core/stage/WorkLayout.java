package org.pdm.core.stage;

import org.pdm.core.config.PdmConfig;
import org.pdm.core.spark.SparkSessions;

/**
 * The work folder ({@code pdm.work-dir}): the one place that names each stage's default output and
 * the data folder inside it that the next stage reads, so that the stage commands chain with no path
 * given. A stage's default input is the previous stage's {@link #dir} (recognized by its manifest);
 * {@link #data} is where its rows are.
 *
 * <pre>
 * work/synth/        images/  photos.tsv  flickr.csv     (sample data for the demo)
 * work/ingest/       raw/  rejects/  pending/  stats.json
 * work/preprocess/   dataset/  rejects/  stats.json  contact-sheet.png
 * work/autoencoder/  work/latents/  work/flow/  work/samples/  work/eval/   (later stages)
 * </pre>
 */
public final class WorkLayout {
  /** A stage's output folder under the work folder, and the data folder in it that the next stage reads. */
  public record Folder(String stage, String data) {}

  public static final Folder SYNTH = new Folder("synth", "images");
  public static final Folder INGEST = new Folder("ingest", "raw");
  public static final Folder PREPROCESS = new Folder("preprocess", "dataset");
  // Reserved for the stages to come, so that no two stages ever claim one name.
  public static final Folder AUTOENCODER = new Folder("autoencoder", "checkpoint");
  public static final Folder LATENTS = new Folder("latents", "latents");
  public static final Folder FLOW = new Folder("flow", "checkpoint");
  public static final Folder SAMPLES = new Folder("samples", "images");
  public static final Folder EVAL = new Folder("eval", "metrics");

  /** pdm synth's source manifests, beside its images/: what ingest reads of it for unsplash and flickr. */
  public static final String SYNTH_UNSPLASH = "photos.tsv";
  public static final String SYNTH_FLICKR = "flickr.csv";

  /** Rejected rows of a stage, beside its data. */
  public static final String REJECTS = "rejects";

  private final String root;

  public WorkLayout(String root) {
    this.root = root;
  }

  public static WorkLayout of(PdmConfig config) {
    return new WorkLayout(SparkSessions.workDir(config));
  }

  public String root() {
    return root;
  }

  /** The stage's default output folder, such as {@code <work-dir>/ingest}. */
  public String dir(Folder folder) {
    return root + "/" + folder.stage();
  }

  /** The data folder inside the stage's default output, such as {@code <work-dir>/ingest/raw}. */
  public String data(Folder folder) {
    return dir(folder) + "/" + folder.data();
  }
}
