package org.pdm.train.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.pdm.core.config.ConfigError;

/**
 * The data path's settings (section {@code pdm.train}), checked when read so that a bad value stops
 * the run before any file is opened.
 *
 * @param shuffleBuffer rows held in the shuffle buffer ({@code data.shuffle-buffer})
 * @param prefetchBatches batches read and decoded ahead of the consumer ({@code data.prefetch-batches})
 * @param threads decoding threads ({@code data.threads}); the batches do not depend on it
 * @param validationFraction share of ids held out ({@code validation-fraction}, see core's ValidationSplit)
 * @param maxBadRows skipped rows tolerated before the run stops ({@code max-bad-rows})
 */
public record TrainDataConfig(int shuffleBuffer, int prefetchBatches, int threads, double validationFraction,
    int maxBadRows) {
  private static final String SECTION = "pdm.train.";

  public TrainDataConfig {
    check("data.shuffle-buffer", shuffleBuffer, 1, 10_000_000);
    check("data.prefetch-batches", prefetchBatches, 1, 1024);
    check("data.threads", threads, 1, 256);
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new ConfigError(SECTION + "validation-fraction = " + validationFraction
          + " is out of range: allowed 0 (no validation split) to below 1");
    }
    check("max-bad-rows", maxBadRows, 0, Integer.MAX_VALUE);
  }

  /** Reads the keys from the {@code pdm.train} section. */
  public static TrainDataConfig from(Config train) {
    return new TrainDataConfig(integer(train, "data.shuffle-buffer"), integer(train, "data.prefetch-batches"),
        integer(train, "data.threads"), number(train, "validation-fraction"), integer(train, "max-bad-rows"));
  }

  private static int integer(Config c, String key) {
    try {
      return c.getInt(key);
    } catch (ConfigException.Missing e) {
      throw new ConfigError(SECTION + key + " is missing: set it in the configuration (see conf/application.conf)");
    } catch (ConfigException.WrongType e) {
      throw new ConfigError(SECTION + key + " = " + c.getValue(key).render() + " is not an integer");
    }
  }

  private static double number(Config c, String key) {
    try {
      return c.getDouble(key);
    } catch (ConfigException.Missing e) {
      throw new ConfigError(SECTION + key + " is missing: set it in the configuration (see conf/application.conf)");
    } catch (ConfigException.WrongType e) {
      throw new ConfigError(SECTION + key + " = " + c.getValue(key).render() + " is not a number");
    }
  }

  private static void check(String key, long v, long min, long max) {
    if (v < min || v > max) {
      throw new ConfigError(SECTION + key + " = " + v + " is out of range: allowed " + min + " to " + max);
    }
  }
}
