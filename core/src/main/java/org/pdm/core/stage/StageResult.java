package org.pdm.core.stage;

import java.util.Map;

/**
 * What a stage run did.
 *
 * @param skipped true when an equal output existed and nothing was redone
 * @param output the committed output folder
 * @param manifest the output's manifest (the old one when skipped)
 */
public record StageResult(boolean skipped, String output, StageManifest manifest) {
  public Map<String, Long> counts() {
    return manifest.counts();
  }
}
