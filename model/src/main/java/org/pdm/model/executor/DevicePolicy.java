package org.pdm.model.executor;

import ai.djl.Device;

/**
 * Maps the GPU addresses Spark gave a task to a DJL device. Spark's addresses are what the discovery
 * script announced (normally CUDA ordinals "0", "1", ...); a task with a fraction of a GPU gets one
 * address shared with other tasks. Without addresses, or when the engine sees fewer GPUs than the
 * address names (a CPU-only libtorch, or a discovery script announcing devices this JVM cannot use),
 * the task runs on the CPU and the choice says why.
 */
public final class DevicePolicy {
  private DevicePolicy() {}

  /** The device and the reason for it, for the once-per-executor log line. */
  public record Choice(Device device, String reason) {}

  /**
   * @param gpuAddresses the task's "gpu" resource addresses (empty when none were requested)
   * @param engineGpus the number of GPUs the DJL engine sees ({@code Engine.getInstance().getGpuCount()})
   */
  public static Choice choose(String[] gpuAddresses, int engineGpus) {
    if (gpuAddresses == null || gpuAddresses.length == 0) {
      return new Choice(Device.cpu(), "no GPU resources in the task (spark.task.resource.gpu.amount not set): CPU");
    }
    String address = gpuAddresses[0].trim();
    int ordinal;
    try {
      ordinal = Integer.parseInt(address);
    } catch (NumberFormatException e) {
      return new Choice(Device.cpu(), "GPU address \"" + address + "\" is not a CUDA ordinal (make the discovery "
          + "script announce 0, 1, ...): CPU");
    }
    if (ordinal < 0 || ordinal >= engineGpus) {
      return new Choice(Device.cpu(), "GPU address " + ordinal + " given, but the DJL engine sees " + engineGpus
          + " GPU(s) (a CPU-only libtorch? see docs/platform.md): CPU");
    }
    return new Choice(Device.gpu(ordinal), "GPU address " + ordinal + ": " + Device.gpu(ordinal));
  }
}
