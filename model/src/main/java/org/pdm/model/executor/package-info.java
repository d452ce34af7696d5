/**
 * The executor side of every stage that runs a model inside Spark tasks (encode, sample, FID): the
 * device a task runs on ({@link org.pdm.model.executor.DevicePolicy}, {@link
 * org.pdm.model.executor.TaskDevices}), checkpoints fetched once per executor from any Hadoop file
 * system ({@link org.pdm.model.executor.CheckpointFiles}) and one model per executor JVM and
 * (checkpoint hash, device) shared by its tasks ({@link org.pdm.model.executor.ModelRegistry}).
 * Spark is a provided dependency used only here; the rest of {@code model} knows nothing of it.
 */
package org.pdm.model.executor;
