package org.pdm.core.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.pdm.core.config.PdmConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What every {@code pdm} subcommand that reads the configuration shares: {@code --conf}, {@code --force}
 * and trailing {@code key=value} overrides. A subcommand turns its own flags into overrides
 * ({@link #flagOverrides()}), so that flags and keys go through the same checks.
 */
public abstract class StageCommand implements Callable<Integer> {
  @Option(names = "--conf", paramLabel = "FILE|PRESET",
      description = "A HOCON file, or a preset from conf/: demo, scapes2k, people2k.")
  protected String conf;

  @Option(names = "--force", description = "Redo the stage even when its output is up to date.")
  protected boolean force;

  @Parameters(paramLabel = "key=value", arity = "0..*",
      description = "Configuration overrides, for example synth.count=10 (see conf/application.conf).")
  protected List<String> overrides = new ArrayList<>();

  /** The subcommand's flags as {@code key=value} overrides; the explicit overrides win over them. */
  protected List<String> flagOverrides() {
    return List.of();
  }

  /** The preset taken when {@code --conf} is not given; null for none. */
  protected String defaultPreset() {
    return null;
  }

  protected abstract int run(PdmConfig config) throws Exception;

  @Override
  public final Integer call() throws Exception {
    List<String> all = new ArrayList<>(flagOverrides());
    all.addAll(overrides);
    return run(PdmConfig.load(conf != null ? conf : defaultPreset(), all, System.getProperties()));
  }

  /** Adds {@code key=value} to the list when the flag was given. */
  protected static void addIfSet(List<String> list, String key, Object value) {
    if (value != null) {
      String text = String.valueOf(value);
      list.add(key + "=" + (text.matches("[A-Za-z0-9_.\\-]+") ? text : "\"" + text.replace("\"", "\\\"") + "\""));
    }
  }
}
