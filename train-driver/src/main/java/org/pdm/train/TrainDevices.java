package org.pdm.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pdm.core.config.ConfigError;

/**
 * {@code pdm.train.devices}: the DJL devices of the data-parallel replicas, written {@code cpu},
 * {@code gpu0}, {@code gpu1}, ... (DJL's {@code gpu(0)} is accepted too). The same device may be
 * named twice (two CPU replicas share the cores; that is what the equivalence test runs).
 */
public final class TrainDevices {
  private static final Pattern NAME = Pattern.compile("(cpu)(\\(\\))?|gpu\\(?(\\d+)\\)?");

  private TrainDevices() {}

  /** The names in canonical form ({@code cpu}, {@code gpuN}); a bad one stops with the key. */
  static List<String> names(List<String> raw, String key) {
    List<String> out = new ArrayList<>();
    for (String r : raw) {
      Matcher m = NAME.matcher(r.trim().toLowerCase());
      if (!m.matches()) {
        throw new ConfigError(key + ": \"" + r + "\" is not a device: write cpu, gpu0, gpu1, ... "
            + "(an empty list trains on the engine's default device)");
      }
      out.add(m.group(1) != null ? "cpu" : "gpu" + Integer.parseInt(m.group(3)));
    }
    return out;
  }

  /**
   * The devices to train on: those named, or the engine's default device alone when none is; a GPU
   * the engine does not see stops the run before any work.
   */
  static List<Device> resolve(List<String> names) {
    if (names.isEmpty()) {
      return List.of(Engine.getInstance().defaultDevice());
    }
    List<Device> out = new ArrayList<>();
    for (String n : names) {
      if (n.equals("cpu")) {
        out.add(Device.cpu());
        continue;
      }
      int ordinal = Integer.parseInt(n.substring(3));
      int seen = Engine.getInstance().getGpuCount();
      if (ordinal >= seen) {
        throw new ConfigError("pdm.train.devices names " + n + ", but the DJL engine sees " + seen + " GPU(s) "
            + "(a CPU-only libtorch? see docs/platform.md): name devices it sees, or cpu");
      }
      out.add(Device.gpu(ordinal));
    }
    return out;
  }
}
