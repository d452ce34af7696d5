package org.pdm.cli.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.StageOutput;

/**
 * What a pipeline run would do, step by step, decided from the outputs' manifests without Spark:
 * the same test each stage makes before it runs. A step after one that runs is redone too (its
 * input changes), so the plan names that step as the reason.
 */
public final class PipelinePlan {
  /** What happens to a step. */
  public enum Action { RUN, SKIP, OUT_OF_RANGE, LEFT_OUT }

  /** One step's line of the plan; {@code state} is its output's state now, as {@code pdm status} prints it. */
  public record Entry(PipelineStep step, String output, Action action, String state, String reason) {}

  private final List<Entry> entries;

  private PipelinePlan(List<Entry> entries) {
    this.entries = entries;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The steps from {@code from} to {@code to} (null: the first, the last); {@code force} runs every one. */
  public static PipelinePlan of(Configuration hadoop, PdmConfig config, List<PipelineStep> steps, String from,
      String to, boolean force) throws java.io.IOException {
    int first = index(steps, from, 0, "--from");
    int last = index(steps, to, steps.size() - 1, "--to");
    if (first > last) {
      throw new ConfigError("--from " + from + " comes after --to " + to + " in the chain "
          + steps.stream().map(PipelineStep::name).toList());
    }
    List<Entry> entries = new ArrayList<>();
    String upstream = null;
    for (int i = 0; i < steps.size(); i++) {
      PipelineStep step = steps.get(i);
      String output = step.output(hadoop, config);
      String leftOut = step.leftOut(config);
      if (leftOut != null) {
        entries.add(new Entry(step, output, Action.LEFT_OUT, "left out", leftOut));
        continue;
      }
      StageOutput.Freshness now = freshness(hadoop, config, step, output);
      String state = state(now);
      if (i < first || i > last) {
        entries.add(new Entry(step, output, Action.OUT_OF_RANGE, state, i < first ? "before --from" : "after --to"));
      } else if (force) {
        entries.add(new Entry(step, output, Action.RUN, state, "--force"));
        upstream = step.name();
      } else if (upstream != null) {
        entries.add(new Entry(step, output, Action.RUN, state, "its input changes when " + upstream + " runs"));
      } else if (now.upToDate()) {
        entries.add(new Entry(step, output, Action.SKIP, state, "same configuration and inputs as its last run"));
      } else {
        entries.add(new Entry(step, output, Action.RUN, state, now.reason()));
        upstream = step.name();
      }
    }
    return new PipelinePlan(entries);
  }

  private static StageOutput.Freshness freshness(Configuration hadoop, PdmConfig config, PipelineStep step,
      String output) throws java.io.IOException {
    StageOutput out = StageOutput.at(hadoop, output);
    if (!out.fs().exists(out.path())) {
      return new StageOutput.Freshness(false, "missing");
    }
    try {
      return out.freshness(step.spec(hadoop, config));
    } catch (ConfigError | org.pdm.core.stage.StagePathException | java.io.FileNotFoundException e) {
      return new StageOutput.Freshness(false, "cannot run yet: " + e.getMessage());
    }
  }

  /** The state words of {@code pdm status}: up to date, missing, running, or stale and why. */
  static String state(StageOutput.Freshness f) {
    if (f.upToDate()) {
      return f.reason();
    }
    if (f.reason().equals("missing") || f.reason().startsWith("running")) {
      return f.reason();
    }
    return "stale: " + f.reason();
  }

  private static int index(List<PipelineStep> steps, String name, int dflt, String flag) {
    if (name == null) {
      return dflt;
    }
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new ConfigError(flag + " " + name + " is not a stage of this pipeline; the stages are "
        + steps.stream().map(PipelineStep::name).toList());
  }

  /** The plan as {@code --dry-run} prints it: one line per step. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Entry e : entries) {
      String verb = switch (e.action()) {
        case RUN -> "run ";
        case SKIP -> "skip";
        case OUT_OF_RANGE, LEFT_OUT -> "    ";
      };
      lines.add(String.format("  %s %-18s %s  (%s)", verb, e.step().name(), e.output(),
          e.action() == Action.OUT_OF_RANGE ? e.reason() + "; " + e.state() : e.reason()));
    }
    return lines;
  }
}
