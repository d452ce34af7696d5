package org.pdm.model.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DevicePolicyTest {
  @Test
  void mapsTaskGpuAddressesToDevices() {
    assertEquals(Device.gpu(1), DevicePolicy.choose(new String[] {"1"}, 2).device());
    assertEquals(Device.gpu(0), DevicePolicy.choose(new String[] {" 0 "}, 1).device());
  }

  @Test
  void runsOnCpuAndSaysWhyWithoutAUsableGpu() {
    DevicePolicy.Choice none = DevicePolicy.choose(new String[0], 4);
    assertEquals(Device.cpu(), none.device());
    assertTrue(none.reason().contains("no GPU resources"), none.reason());
    DevicePolicy.Choice cpuTorch = DevicePolicy.choose(new String[] {"1"}, 0);
    assertEquals(Device.cpu(), cpuTorch.device());
    assertTrue(cpuTorch.reason().contains("engine sees 0 GPU"), cpuTorch.reason());
    DevicePolicy.Choice name = DevicePolicy.choose(new String[] {"GPU-8f2c"}, 2);
    assertEquals(Device.cpu(), name.device());
    assertTrue(name.reason().contains("not a CUDA ordinal"), name.reason());
  }

  @Test
  void outsideATaskThereAreNoAddresses() {
    assertEquals(0, TaskDevices.gpuAddresses().length);
  }
}
