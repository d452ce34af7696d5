package org.pdm.model.executor;

import ai.djl.engine.Engine;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device of the running Spark task: its "gpu" addresses from {@code TaskContext.resources()}
 * mapped by {@link DevicePolicy}. Each distinct choice is logged once per executor JVM, so that the
 * executor log says whether the stage ran on a GPU without a line per task.
 */
public final class TaskDevices {
  private static final Logger LOG = LoggerFactory.getLogger(TaskDevices.class);
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private TaskDevices() {}

  /** The running task's GPU addresses; empty outside a task or without GPU resources. */
  public static String[] gpuAddresses() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return new String[0];
    }
    scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
    return gpu.isDefined() ? gpu.get().addresses() : new String[0];
  }

  /** The device for the running task, logged once per executor and distinct choice. */
  public static DevicePolicy.Choice current() {
    String[] addresses = gpuAddresses();
    int gpus = addresses.length == 0 ? 0 : Engine.getInstance().getGpuCount();
    DevicePolicy.Choice choice = DevicePolicy.choose(addresses, gpus);
    if (LOGGED.add(choice.reason())) {
      LOG.info("model device: {}", choice.reason());
    }
    return choice;
  }
}
