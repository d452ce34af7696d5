package org.pdm.core.stage;

import java.util.List;

/**
 * What decides whether a stage's output is still good: the stage, its configuration (as sorted
 * JSON) and the inputs it reads. Two runs with equal specs produce the same output, so the second
 * is skipped.
 *
 * @param stage the stage name, such as {@code synth}
 * @param configJson the stage's configuration, rendered with sorted keys
 * @param inputs the input paths, fingerprinted by {@link InputFingerprint}; empty for a source stage
 */
public record StageSpec(String stage, String configJson, List<String> inputs) {
  public StageSpec {
    inputs = List.copyOf(inputs);
  }
}
