package org.pdm.eval.recon;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.pdm.eval.fid.DetectorSource;
import org.pdm.eval.fid.FeatureBatches;
import org.pdm.eval.fid.FeatureMoments;
import org.pdm.eval.fid.ResizeMode;

/**
 * The rFID side of a recon task: each validation image and its reconstruction go through the FID
 * extractor ({@link FeatureBatches}, as {@code pdm eval fid} extracts), and their features into two
 * {@link FeatureMoments}, which merge across partitions like any FID side's. One per task.
 */
final class RfidFeatures {
  /** What a task needs to build one: the extractor and how pictures reach it (pdm.eval.fid's mode, size, batch). */
  record Spec(DetectorSource detector, ResizeMode mode, int inputSize, int batchSize) implements Serializable {}

  private final FeatureBatches originals;
  private final FeatureBatches reconstructions;
  private FeatureMoments originalMoments = new FeatureMoments(0); // sized by the first features
  private FeatureMoments reconMoments = new FeatureMoments(0);
  private long failed;

  RfidFeatures(Spec spec, ai.djl.Device device) {
    originals = new FeatureBatches(spec.detector(), spec.mode(), spec.inputSize(), spec.batchSize(), device);
    reconstructions = new FeatureBatches(spec.detector(), spec.mode(), spec.inputSize(), spec.batchSize(), device);
  }

  /** Adds an image and its reconstruction (uint8 HWC RGB); features of full batches go into the moments. */
  void add(String id, byte[] original, byte[] reconstruction, int width, int height) throws Exception {
    List<Row> a = new ArrayList<>();
    List<Row> b = new ArrayList<>();
    originals.add(new FeatureBatches.Picture(id, original, width, height), a);
    reconstructions.add(new FeatureBatches.Picture(id, reconstruction, width, height), b);
    originalMoments = accumulate(a, originalMoments);
    reconMoments = accumulate(b, reconMoments);
  }

  /**
   * Extracts what is left; returns the moments of the originals and of the reconstructions, and the
   * pictures the extractor failed on (left out of both).
   */
  Moments finish() throws Exception {
    List<Row> a = new ArrayList<>();
    List<Row> b = new ArrayList<>();
    originals.flush(a);
    reconstructions.flush(b);
    originalMoments = accumulate(a, originalMoments);
    reconMoments = accumulate(b, reconMoments);
    return new Moments(originalMoments, reconMoments, failed);
  }

  /** The two sides' moments of a partition (or, merged, of the run). */
  record Moments(FeatureMoments originals, FeatureMoments reconstructions, long failed) implements Serializable {
    static Moments empty() {
      return new Moments(new FeatureMoments(0), new FeatureMoments(0), 0);
    }

    Moments merge(Moments o) {
      return new Moments(originals.merge(o.originals), reconstructions.merge(o.reconstructions), failed + o.failed);
    }
  }

  private FeatureMoments accumulate(List<Row> rows, FeatureMoments into) {
    List<double[]> x = new ArrayList<>(rows.size());
    for (Row r : rows) {
      if (r.isNullAt(1)) {
        failed++;
        continue;
      }
      float[] f = (float[]) r.get(1);
      double[] d = new double[f.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = f[i];
      }
      x.add(d);
    }
    if (x.isEmpty()) {
      return into;
    }
    FeatureMoments m = into.count() == 0 ? new FeatureMoments(x.get(0).length) : into;
    return m.addAll(x.toArray(new double[0][]));
  }
}
