package org.pdm.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdm.model.TestSupport;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;
import org.pdm.model.unet.PyramidUNet;

class SafeTensorsTest {

  @Test
  void exportFollowsTheFormatWithPytorchStyleNames(@TempDir Path tmp) throws Exception {
    ModelConfig c = TestSupport.conf("unet-tiny.conf");
    try (NDManager m = TestSupport.cpuManager()) {
      Module net = new PyramidUNet((org.pdm.model.config.UNetConfig) c);
      net.initialize(m, 2);
      Path f = tmp.resolve("unet.safetensors");
      Checkpoint.exportSafeTensors(net, c, f);
      byte[] bytes = Files.readAllBytes(f);
      // 8-byte little-endian header length, JSON header padded to 8, then raw little-endian data
      long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(0, n % 8);
      JsonObject header = new Gson().fromJson(new String(bytes, 8, (int) n,
          StandardCharsets.UTF_8).trim(), JsonObject.class);
      assertTrue(header.has("temb.dense0.weight_orig")); // spectral norm on every UNet layer
      assertTrue(header.has("down.0.0.conv0.weight_u"), "spectral-norm state is exported");
      assertTrue(header.has("down.0.0.conv0.weight_orig"), "torch's name for the raw weight");
      assertFalse(header.has("down.0.0.conv0.weight"));
      JsonObject w = header.getAsJsonObject("temb.dense0.weight_orig");
      assertEquals("F32", w.get("dtype").getAsString());
      assertEquals("[64,16]", w.get("shape").toString()); // (out, in) as torch.nn.Linear
      long begin = w.getAsJsonArray("data_offsets").get(0).getAsLong();
      float first = ByteBuffer.wrap(bytes, (int) (8 + n + begin), 4).order(ByteOrder.LITTLE_ENDIAN)
          .getFloat();
      Param p = net.parameters().get("temb.dense0.weight");
      assertEquals(p.value().toFloatArray()[0], first);
      long total = 0;
      for (Param q : net.parameters().values()) {
        total += 4 * q.size();
      }
      assertEquals(8 + n + total, bytes.length);
      Map<String, SafeTensors.Tensor> back = Checkpoint.ourNames(SafeTensors.read(f));
      assertEquals(net.parameters().keySet(), back.keySet());
      for (Map.Entry<String, Param> e : net.parameters().entrySet()) {
        assertArrayEquals(e.getValue().value().toFloatArray(), back.get(e.getKey()).data(), 0f);
      }
      assertTrue(SafeTensors.metadata(f).get("config").contains("unet"));
      assertTrue(Arrays.asList(header.keySet().toArray()).contains("__metadata__"));
    }
  }
}
