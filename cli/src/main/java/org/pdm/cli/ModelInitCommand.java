package org.pdm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.progress.StageSummary;
import org.pdm.core.stage.OutputGuard;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.model.Models;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdm model init}: a freshly initialized checkpoint, written as a stage output (atomic, with a
 * manifest, refused over a folder it did not write) whose {@code checkpoint/} holds the checkpoint.
 * An autoencoder goes to the work folder's {@code autoencoder/} by default, where {@code pdm encode}
 * looks, as a trained one will.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Write a freshly initialized model checkpoint (for smoke tests and benchmarks before a trained one "
        + "exists) into OUT/checkpoint.")
public final class ModelInitCommand extends StageCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--config", paramLabel = "FILE|NAME", description = "A model config file, or the name of one in "
      + "conf/model: autoencoder-tiny, autoencoder-256, unet-tiny, ... (pdm.model-init.config).")
  String modelConfig;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (pdm.model-init.out; default "
      + "<work-dir>/autoencoder for an autoencoder, <work-dir>/flow for a UNet).")
  String out;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the weights (pdm.model-init.seed).")
  Long seed;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "model-init.config", modelConfig);
    addIfSet(o, "model-init.out", out);
    addIfSet(o, "model-init.seed", seed);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    Settings s = config.settings("model-init");
    String name = s.required("config", "give --config autoencoder-tiny (a name in conf/model) or a model config file");
    ModelConfig model;
    try {
      model = ModelConfigs.load(ModelBenchCommand.resolve(name));
    } catch (IllegalArgumentException e) {
      throw new ConfigError("--config " + name + ": " + e.getMessage());
    }
    long seedValue = s.longIn("seed", 0, Long.MAX_VALUE);
    WorkLayout.Folder folder = model instanceof AutoEncoderConfig ? WorkLayout.AUTOENCODER : WorkLayout.FLOW;
    String output = s.string("out").isBlank() ? WorkLayout.of(config).dir(folder) : s.string("out").trim();
    Configuration hadoop = new Configuration();
    OutputGuard.check(hadoop, output, folder.stage());
    ObjectNode spec = JSON.createObjectNode();
    spec.put("init", "fresh weights");
    spec.put("model", model.render());
    spec.put("seed", seedValue);
    StageResult result = StageOutput.at(hadoop, output).run(new StageSpec(folder.stage(),
        JSON.writeValueAsString(spec), List.of()), force, ctx -> {
          Path target = new Path(ctx.dir(), folder.data());
          java.nio.file.Path local = Files.createTempDirectory("pdm-model-init");
          try {
            java.nio.file.Path ckpt = local.resolve(folder.data());
            Checkpoint.initialize(ckpt, model, seedValue);
            ctx.fs().copyFromLocalFile(false, true, new Path(ckpt.toUri()), target);
          } finally {
            try (var walk = Files.walk(local)) {
              for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
              }
            }
          }
          ctx.count("parameters", Models.build(model).numParameters());
        });
    StageSummary.print(System.out, result);
    System.out.println("  checkpoint:               " + result.output() + "/" + folder.data());
    return 0;
  }
}
