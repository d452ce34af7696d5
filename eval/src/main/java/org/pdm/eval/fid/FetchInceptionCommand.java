package org.pdm.eval.fid;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pdm.core.cli.StageCommand;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;
import org.pdm.core.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pdm eval fetch-inception}: downloads the FID Inception TorchScript for users with internet. */
@Command(name = "fetch-inception", mixinStandardHelpOptions = true,
    description = "Download the FID Inception-v3 TorchScript (inception-2015-12-05.pt, as clean-fid and "
        + "StyleGAN2-ADA use it) from pdm.eval.fetch.url, check its sha256 against pdm.eval.fetch.sha256 when set, "
        + "print the sha256, and write it to --to.")
public final class FetchInceptionCommand extends StageCommand {
  @Option(names = "--to", paramLabel = "FILE", description = "Where to write it (default: pdm.eval.inception when "
      + "set, else <work-dir>/inception-2015-12-05.pt).")
  String to;

  @Option(names = "--url", paramLabel = "URL", description = "Download address (pdm.eval.fetch.url).")
  String url;

  @Override
  protected List<String> flagOverrides() {
    List<String> o = new ArrayList<>();
    addIfSet(o, "eval.fetch.url", url);
    return o;
  }

  @Override
  protected int run(PdmConfig config) throws Exception {
    Settings f = config.settings("eval.fetch");
    String inception = config.settings("eval").string("inception").trim();
    Path target = Path.of(to != null ? to : !inception.isEmpty() ? inception
        : SparkSessions.workDir(config) + "/inception-2015-12-05.pt");
    InceptionFetcher.Fetched got = InceptionFetcher.fetch(f.required("url", "set it to the TorchScript's address"),
        f.string("sha256"), target, force, f.duration("timeout", Duration.ofSeconds(1), Duration.ofHours(2)));
    System.out.printf("fetched %s: %d bytes, sha256 %s (%s)%n", got.file(), got.bytes(), got.sha256(),
        got.checked() ? "matches pdm.eval.fetch.sha256" : "not checked: pdm.eval.fetch.sha256 is empty; record it");
    if (inception.isEmpty() || !Path.of(inception).toAbsolutePath().equals(got.file().toAbsolutePath())) {
      System.out.println("use it with: pdm eval fid eval.inception=" + got.file().toAbsolutePath());
    }
    return 0;
  }
}
