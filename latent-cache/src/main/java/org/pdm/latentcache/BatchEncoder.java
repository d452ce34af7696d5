package org.pdm.latentcache;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes a batch of images on the device; a batch that fails there (out of device memory, for one)
 * is retried as two halves, down to single images, before any image is given up: only an image that
 * fails alone becomes a reject. Knows nothing of Spark or of the model beyond {@link Device}.
 */
public final class BatchEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(BatchEncoder.class);

  /** The device call: {@code n} images (n, C, H, W) concatenated -> per level {mean, logvar} arrays. */
  @FunctionalInterface
  public interface Device {
    float[][][] encode(float[] images, int n);
  }

  /** One image's outcome: latents per level {mean, logvar or null}, or the failure. */
  public record Result(float[][][] latents, String error) {}

  private final Device device;
  private final int imageSize;
  private long retries;

  /** @param imageSize floats per image (C * H * W) */
  public BatchEncoder(Device device, int imageSize) {
    this.device = device;
    this.imageSize = imageSize;
  }

  /** Batches that were split and retried so far. */
  public long retries() {
    return retries;
  }

  /** The images' latents in order; an image that fails even alone gets its error instead. */
  public List<Result> encode(List<float[]> images) {
    List<Result> out = new ArrayList<>(images.size());
    if (!images.isEmpty()) {
      encodeInto(images, out);
    }
    return out;
  }

  private void encodeInto(List<float[]> images, List<Result> out) {
    int n = images.size();
    float[] batch = new float[n * imageSize];
    for (int i = 0; i < n; i++) {
      System.arraycopy(images.get(i), 0, batch, i * imageSize, imageSize);
    }
    float[][][] z;
    try {
      z = device.encode(batch, n);
    } catch (RuntimeException | OutOfMemoryError e) {
      if (n == 1) {
        out.add(new Result(null, String.valueOf(e.getMessage())));
        return;
      }
      retries++;
      LOG.warn("a batch of {} failed on the device ({}); retrying as {} and {}", n, e.getMessage(), n / 2, n - n / 2);
      encodeInto(images.subList(0, n / 2), out);
      encodeInto(images.subList(n / 2, n), out);
      return;
    }
    for (int i = 0; i < n; i++) {
      float[][][] one = new float[z.length][2][];
      for (int l = 0; l < z.length; l++) {
        for (int k = 0; k < 2; k++) {
          float[] all = z[l][k];
          if (all != null) {
            int per = all.length / n;
            one[l][k] = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
          }
        }
      }
      out.add(new Result(one, null));
    }
  }
}
