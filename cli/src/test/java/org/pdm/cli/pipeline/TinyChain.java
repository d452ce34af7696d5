package org.pdm.cli.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline tests' chain: 8 sample photos with Flickr-style metadata, preprocessed to 32x32 (the
 * tiny models' size), a few training steps, a handful of samples. Seconds per stage.
 */
public final class TinyChain {
  public static final List<String> ARGS = List.of("synth.count=8", "synth.min-size=64x32", "synth.off-spec-fraction=0",
      "ingest.source=flickr", "ingest.download.allow-file-urls=true", "ingest.filter.photos-only=false",
      "preprocess.preset=custom", "preprocess.custom.size=32x32", "preprocess.custom.min-size=32x32",
      "preprocess.filters.min-sharpness=0", "preprocess.filters.dedupe=false", "train.steps=6",
      "train.batch-size=2", "train.validation-fraction=0.25", "train.validate-every=3", "train.sample-every=6",
      "train.checkpoint-every=3", "train.log-every=3", "train.flow.sample-steps=2", "sample.count=4",
      "sample.sampler=\"euler:2\"", "eval.ablation.count=2");

  private TinyChain() {}

  /** {@code args}, then the chain's settings, then {@code more} (later settings win). */
  public static String[] args(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(ARGS);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
