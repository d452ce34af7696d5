package org.pdm.cli;

import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import picocli.CommandLine.Command;

/** {@code pdm config}: checks a configuration the way every stage will, and prints it resolved. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Check the configuration (defaults, --conf, -D properties, key=value) and print it resolved. "
        + "Exits with 2 and names the key when something is wrong.")
public final class ConfigCommand extends StageCommand {
  @Override
  protected int run(PdmConfig config) {
    StageConfigs.checkAll(config);
    System.out.println("# resolved from " + config.source());
    System.out.println(config.render());
    return 0;
  }
}
