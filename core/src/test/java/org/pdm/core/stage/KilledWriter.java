package org.pdm.core.stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** Child process for {@link KillMidWriteTest}: starts writing a new output, then hangs until killed. */
public final class KilledWriter {
  public static void main(String[] args) throws Exception {
    String out = args[0];
    Path marker = Path.of(args[1]);
    StageOutput.at(new Configuration(), out).run(new StageSpec("test", "{\"v\":2}", List.of()), false, ctx -> {
      try (var os = ctx.fs().create(new org.apache.hadoop.fs.Path(ctx.dir(), "data.txt"))) {
        os.write("half-written".getBytes());
      }
      Files.writeString(marker, "writing");
      Thread.sleep(120_000);
    });
  }
}
