package org.pdm.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdm.model.TestSupport;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.nn.Param;

/**
 * "One level and no branch blocks is plain NCSN++": our parameter names and shapes, mapped to
 * score_sde's names, equal those of score_sde's {@code ncsnpp} for the same config, read from the
 * fixtures {@code ncsnpp/params-<config>.txt} (made by {@code src/test/python/ncsnpp_params.py};
 * docs/model.md says how to regenerate them). Documented differences, the only ones allowed:
 * <ol>
 *   <li>spectral norm: our {@code weight_u} / {@code weight_v} buffers have no counterpart (score_sde
 *       has no spectral norm) and are left out;</li>
 *   <li>attention: our spatial-channel attention has AttnBlockpp's parameters (GroupNorm_0, NIN_0..3
 *       = q, k, v, proj) stored as 1x1 convolutions (out, in, 1, 1) where NIN stores W as (in, out):
 *       the shape is compared transposed.</li>
 * </ol>
 */
class NcsnppFixtureTest {

  /**
   * conf/model/unet-tiny-single.conf (Fourier, spectral norm, one ResBlock per resolution) and the
   * test-only ncsnpp/unet-ncsnpp-16.conf (positional, no spectral norm, two ResBlocks, three
   * resolutions).
   */
  @ParameterizedTest
  @ValueSource(strings = {"unet-tiny-single", "unet-ncsnpp-16"})
  void oneLevelWithoutBranchBlocksHasNcsnppsParameters(String name) throws IOException {
    UNetConfig c = (UNetConfig) (name.equals("unet-tiny-single")
        ? TestSupport.conf(name + ".conf") : ModelConfigs.parse(read("/ncsnpp/" + name + ".conf")));
    List<String> fixture = fixture(name);
    assertEquals(header(c), fixture.get(0), "fixture made for another config: regenerate it");
    String expected = String.join("\n", fixture.subList(1, fixture.size()));
    String ours = String.join("\n", mapped(new PyramidUNet(c)));
    assertEquals(expected, ours);
  }

  /** The fixture's config line as ncsnpp_params.py writes it, from our config. */
  private static String header(UNetConfig c) {
    if (c.levels().size() != 1 || c.branchBlocks() != 0
        || c.resBlocks().stream().distinct().count() != 1) {
      throw new IllegalStateException("not a plain NCSN++ config");
    }
    return String.format("# nf=%d ch_mult=%s num_res_blocks=%d attn_resolutions=%s image_size=%d "
        + "num_channels=%d embedding_type=%s", c.channels(), join(c.channelMult()),
        c.resBlocks().get(0), join(c.attentionResolutions()), c.levels().get(0).height(),
        c.levels().get(0).channels(), c.timeEmbedding().name().toLowerCase());
  }

  private static String join(List<Integer> xs) {
    return xs.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** The config line, then the lines "name d0,d1,.." of the fixture. */
  private static List<String> fixture(String name) throws IOException {
    List<String> lines = read("/ncsnpp/params-" + name + ".txt").lines()
        .filter(l -> !l.isBlank()).collect(Collectors.toList());
    List<String> out = new ArrayList<>();
    out.add(lines.get(1)); // line 0 says where it comes from, line 1 is the config
    lines.stream().filter(l -> !l.startsWith("#")).forEach(out::add);
    return out;
  }

  private static String read(String resource) throws IOException {
    try (var in = NcsnppFixtureTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Our parameters as "all_modules.K.name shape" in NCSN++'s module order: time embedding, input
   * conv (branch_in.0.conv), down, mid, up (each list entry one module), output head's GroupNorm and
   * conv (branch_out.0.head).
   */
  static List<String> mapped(PyramidUNet net) {
    Map<String, Map<String, Param>> groups = new LinkedHashMap<>();
    for (Map.Entry<String, Param> e : net.parameters().entrySet()) {
      String name = e.getKey();
      String[] p = name.split("\\.");
      int depth = switch (p[0]) {
        case "temb", "mid" -> 2;     // temb.fourier_w, temb.dense0, mid.j
        case "branch_out" -> 4;      // branch_out.0.head.norm
        default -> 3;                // branch_in.0.conv, down.i.j, up.k.j
      };
      String module = String.join(".", java.util.Arrays.copyOf(p, depth));
      String leaf = name.substring(module.length()).replaceFirst("^\\.", "");
      groups.computeIfAbsent(module, k -> new LinkedHashMap<>()).put(leaf, e.getValue());
    }
    List<String> order = new ArrayList<>();
    for (String prefix : List.of("temb.", "branch_in.", "down.", "mid.", "up.", "branch_out.")) {
      for (String m : groups.keySet()) {
        if (m.startsWith(prefix)) {
          order.add(m);
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < order.size(); k++) {
      String module = order.get(k);
      Map<String, Param> params = groups.get(module);
      boolean attention = params.containsKey("q.weight");
      for (Map.Entry<String, Param> e : params.entrySet()) {
        String leaf = e.getKey();
        if (leaf.endsWith("weight_u") || leaf.endsWith("weight_v")) {
          continue; // difference 1: spectral-norm state
        }
        Shape s = e.getValue().shape();
        String name = "all_modules." + k + (leaf.isEmpty() ? "" : "." + rename(leaf, attention));
        if (module.equals("temb.fourier_w")) {
          name = "all_modules." + k + ".W";
        }
        if (attention && !leaf.startsWith("norm") && leaf.endsWith("weight")) {
          s = new Shape(s.get(1), s.get(0)); // difference 2: NIN's W is (in, out)
        }
        out.add(name + " " + dims(s));
      }
    }
    return out;
  }

  private static String rename(String leaf, boolean attention) {
    String[] p = leaf.split("\\.");
    String last = p[p.length - 1];
    String mod = p.length > 1 ? p[0] : "";
    String to = switch (mod) {
      case "norm0", "norm" -> "GroupNorm_0";
      case "norm1" -> "GroupNorm_1";
      case "conv0" -> "Conv_0";
      case "conv1" -> "Conv_1";
      case "conv2" -> "Conv_2";
      case "dense0" -> "Dense_0";
      case "q" -> "NIN_0";
      case "k" -> "NIN_1";
      case "v" -> "NIN_2";
      case "proj" -> "NIN_3";
      default -> mod;
    };
    if (attention && to.startsWith("NIN")) {
      last = last.equals("weight") ? "W" : "b";
    }
    return to.isEmpty() ? last : to + "." + last;
  }

  private static String dims(Shape s) {
    return java.util.Arrays.stream(s.getShape()).mapToObj(String::valueOf)
        .collect(Collectors.joining(","));
  }
}
