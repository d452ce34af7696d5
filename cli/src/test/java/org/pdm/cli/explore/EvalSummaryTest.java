package org.pdm.cli.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSummaryTest {
  @TempDir Path work;

  private void write(String relative, String json) throws IOException {
    Path f = work.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, json);
  }

  /** The members of recon.json and ablation.json that the table reads, as eval writes them. */
  private void reconAndAblation() throws IOException {
    write("eval-recon/recon.json", "{\"images\":3,\"psnr\":20.8929,\"psnr_std\":0.6813,\"ssim\":0.63379,"
        + "\"ssim_std\":0.00176,\"validation_fraction\":0.2}");
    write("eval-ablation/ablation.json", "{\"levels\":[\"8x8x4\",\"4x4x8\"],\"variants\":["
        + "{\"name\":\"all levels\",\"keep\":[true,true],\"psnr_mean\":20.4976,\"ssim_mean\":0.62464},"
        + "{\"name\":\"only 4x4x8\",\"keep\":[false,true],\"psnr_mean\":14.09,\"ssim_mean\":0.2235}]}");
  }

  @Test
  void reconAndEachAblationVariantWithFidMissing() throws IOException {
    reconAndAblation();
    List<EvalSummary.Row> rows = EvalSummary.read(work);
    assertEquals(new EvalSummary.Row("reconstruction PSNR (dB)", "20.89 ± 0.68 (3 validation images)",
        "eval-recon/recon.json"), rows.get(0));
    assertEquals("0.6338 ± 0.0018 (3 validation images)", rows.get(1).value());
    assertEquals(new EvalSummary.Row("ablation: all levels (8x8x4 + 4x4x8)", "PSNR 20.50 dB, SSIM 0.6246",
        "eval-ablation/ablation.json"), rows.get(2));
    assertEquals("ablation: only 4x4x8 (4x4x8)", rows.get(3).metric());
    assertEquals("FID / KID", rows.get(4).metric());
    assertTrue(rows.get(4).value().startsWith("not measured"), rows.get(4).value());
    assertEquals(5, rows.size());
  }

  @Test
  void fidAndKidWhenFidJsonExists() throws IOException {
    reconAndAblation();
    write("eval/fid.json", "{\"fid\":12.34567,\"kid\":{\"mean\":0.0043214,\"std\":0.00021},\"n_real\":47,"
        + "\"n_fake\":32,\"mode\":\"clean\",\"warnings\":[\"32 samples, fewer than 2048\"]}");
    List<EvalSummary.Row> rows = EvalSummary.read(work);
    assertEquals(new EvalSummary.Row("FID", "12.3457 (clean, n_real=47, n_fake=32)", "eval/fid.json"), rows.get(4));
    assertEquals("0.004321 ± 0.000210 (clean, n_real=47, n_fake=32)", rows.get(5).value());
    assertEquals(new EvalSummary.Row("FID warning", "32 samples, fewer than 2048", "eval/fid.json"), rows.get(6));
  }

  @Test
  void missingStagesAreRowsNamingTheirCommand() throws IOException {
    List<EvalSummary.Row> rows = EvalSummary.read(work);
    assertEquals(List.of("reconstruction", "ablation", "FID / KID"), rows.stream().map(EvalSummary.Row::metric).toList());
    assertTrue(rows.get(0).value().contains("pdm eval recon"));
    assertTrue(rows.get(1).value().contains("pdm eval ablation"));
    String text = EvalSummary.text(rows);
    assertEquals(4, text.lines().count());
    assertTrue(text.lines().findFirst().orElseThrow().startsWith("metric "), text);
  }

  @Test
  void aBrokenFileNamesItself() throws IOException {
    write("eval-recon/recon.json", "[1, 2");
    IOException e = assertThrows(IOException.class, () -> EvalSummary.read(work));
    assertTrue(e.getMessage().contains("recon.json"), e.getMessage());
  }
}
