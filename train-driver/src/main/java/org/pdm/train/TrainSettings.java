package org.pdm.train;

import java.io.Serializable;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.config.Settings;

/**
 * The validated keys of {@code pdm.train} that both objectives share; every check runs here, before
 * any data is read.
 *
 * @param steps optimizer steps to reach
 * @param batchSize rows per micro-batch
 * @param seed seed of weights, data order and training noise
 * @param checkpointEvery steps between checkpoints
 * @param keepLast checkpoints kept
 * @param validateEvery steps between validations, 0 for never
 * @param validationBatches batches of the held-out split per validation, at most
 * @param sampleEvery steps between sample grids, 0 for never
 * @param logEvery steps between metric lines
 * @param validationFraction share of ids held out
 * @param maxBadRows unusable rows tolerated
 * @param shuffleBuffer rows in the shuffle buffer of a streaming reader
 * @param prefetchBatches batches decoded ahead
 * @param threads decoding threads
 * @param devices DJL device names of the data-parallel replicas, one per device (validated by
 *     {@link TrainDevices}); empty for the engine's default device alone
 */
public record TrainSettings(long steps, int batchSize, long seed, long checkpointEvery, int keepLast,
    long validateEvery, int validationBatches, long sampleEvery, long logEvery, double validationFraction,
    int maxBadRows, int shuffleBuffer, int prefetchBatches, int threads, java.util.List<String> devices)
    implements Serializable {

  public TrainSettings {
    devices = java.util.List.copyOf(devices);
  }

  public static TrainSettings from(PdmConfig config) {
    Settings s = config.settings("train");
    Settings d = s.section("data");
    return new TrainSettings(s.longIn("steps", 1, 100_000_000), s.intIn("batch-size", 1, 4096),
        s.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE), s.longIn("checkpoint-every", 1, 100_000_000),
        s.intIn("keep-last", 1, 1000), s.longIn("validate-every", 0, 100_000_000),
        s.intIn("validation-batches", 1, 100_000), s.longIn("sample-every", 0, 100_000_000),
        s.longIn("log-every", 1, 100_000_000), s.doubleIn("validation-fraction", 0, 0.5),
        s.intIn("max-bad-rows", 0, 100_000_000), d.intIn("shuffle-buffer", 1, 1_000_000),
        d.intIn("prefetch-batches", 1, 1024), d.intIn("threads", 1, 256),
        TrainDevices.names(s.stringList("devices"), s.key("devices")));
  }

  /** The same settings with another step target (the command's --steps goes through the config). */
  public TrainSettings withSteps(long n) {
    return new TrainSettings(n, batchSize, seed, checkpointEvery, keepLast, validateEvery, validationBatches,
        sampleEvery, logEvery, validationFraction, maxBadRows, shuffleBuffer, prefetchBatches, threads,
        devices);
  }
}
