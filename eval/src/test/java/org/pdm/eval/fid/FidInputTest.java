package org.pdm.eval.fid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;

/** What --real and --fake accept, resolved before Spark starts, and the work-folder defaults. */
class FidInputTest {
  @TempDir
  Path tmp;
  private final Configuration conf = new Configuration();

  private Path stage(String name, WorkLayout.Folder folder) throws Exception {
    Path out = tmp.resolve(name);
    StageOutput.at(conf, out.toString()).run(new StageSpec(folder.stage(), "{}", List.of()), true,
        ctx -> ctx.fs().mkdirs(new org.apache.hadoop.fs.Path(ctx.dir(), folder.data())));
    return out;
  }

  private FidInput resolve(Path p) throws Exception {
    return FidInput.resolve(conf, p.toString(), "--fake");
  }

  @Test
  void stageOutputsStandForTheirDataFolders() throws Exception {
    FidInput pre = resolve(stage("pre", WorkLayout.PREPROCESS));
    assertEquals(FidInput.Kind.ROWS, pre.kind());
    assertEquals("dataset", pre.path().getName());
    FidInput samples = resolve(stage("samples", WorkLayout.SAMPLES));
    assertEquals(FidInput.Kind.ROWS, samples.kind());
    assertEquals("images", samples.path().getName());
    StagePathException other = assertThrows(StagePathException.class, () -> resolve(stage("lat",
        WorkLayout.LATENTS)));
    assertTrue(other.getMessage().contains("holds the output of latents"), other.getMessage());
  }

  @Test
  void filesFoldersParquetAndNpz() throws Exception {
    Path parquet = Files.createDirectories(tmp.resolve("pq"));
    Files.write(parquet.resolve("part-0.parquet"), new byte[] {1});
    assertEquals(FidInput.Kind.ROWS, resolve(parquet).kind());
    Path pictures = Files.createDirectories(tmp.resolve("pics"));
    Files.write(pictures.resolve("a.png"), new byte[] {1});
    assertEquals(FidInput.Kind.FILES, resolve(pictures).kind());
    Path npz = tmp.resolve("s.npz");
    Files.write(npz, Npz.bytes(new GaussianStats(3, new double[] {1, 2}, new double[] {1, 0, 0, 1}).toNpz()));
    FidInput stats = resolve(npz);
    assertEquals(FidInput.Kind.STATS, stats.kind());
    assertEquals(3, stats.stats(conf).n());
    Path txt = Files.write(tmp.resolve("notes.txt"), new byte[] {1});
    assertTrue(assertThrows(StagePathException.class, () -> resolve(txt)).getMessage().contains("not an .npz"));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertTrue(assertThrows(StagePathException.class, () -> resolve(empty)).getMessage().contains("empty folder"));
    StagePathException missing = assertThrows(StagePathException.class, () -> resolve(tmp.resolve("nope")));
    assertTrue(missing.getMessage().startsWith("--fake ") && missing.getMessage().contains("does not exist"));
  }

  @Test
  void withNoPathsTheWorkFolderChains() {
    PdmConfig config = PdmConfig.defaults().with("work-dir=\"" + tmp + "\"");
    FidConfig c = FidConfig.from(config);
    WorkLayout work = WorkLayout.of(config);
    assertEquals(tmp + "/preprocess", c.real(work));
    assertEquals(tmp + "/samples", c.fake(work));
    assertEquals(tmp + "/eval", c.out(work));
    assertEquals(ResizeMode.CLEAN, c.mode());
  }
}
