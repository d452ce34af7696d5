package org.pdm.train.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.pdm.core.schema.LatentSchema;
import org.pdm.core.synth.Painter;

/**
 * The numbers in docs/train-data.md, on generated data (not a test: a main run by hand):
 * {@code images <dir> <rows> <size> <png|jpeg|raw> <batch> <batches> <threads> <prefetch>} writes synth
 * scapes as a dataset, {@code latents <dir> <rows> <batch> <batches> <threads> <prefetch>} a float16
 * cache of three levels (4,32,32), (4,16,16), (4,8,8); both in row groups of 64 rows and files of
 * 512 (unless {@code dir} exists: then it is measured again), then print {@link TrainDataBench}'s measurement.
 */
public final class TrainDataBenchRun {
  private TrainDataBenchRun() {}

  public static void main(String[] a) throws IOException {
    Configuration conf = new Configuration();
    String dir = a[1];
    int rows = Integer.parseInt(a[2]);
    boolean written = new Path(dir).getFileSystem(conf).exists(new Path(dir));
    TrainData.Kind kind;
    int k;
    if (written) {
      kind = a[0].equals("images") ? TrainData.Kind.IMAGES : TrainData.Kind.LATENTS;
      k = kind == TrainData.Kind.IMAGES ? 5 : 3;
    } else if (a[0].equals("images")) {
      kind = TrainData.Kind.IMAGES;
      int size = Integer.parseInt(a[3]);
      writeImages(conf, dir, rows, size, a[4]);
      k = 5;
    } else {
      kind = TrainData.Kind.LATENTS;
      writeLatents(conf, dir, rows);
      k = 3;
    }
    int batch = Integer.parseInt(a[k]);
    int batches = Integer.parseInt(a[k + 1]);
    TrainDataConfig cfg = new TrainDataConfig(256, Integer.parseInt(a[k + 3]), Integer.parseInt(a[k + 2]), 0.05, 100);
    System.out.println(cfg);
    System.out.println(TrainDataBench.measure(conf, dir, kind, cfg, batch, batches, batch * 8).text());
  }

  private static void writeImages(Configuration conf, String dir, int rows, int size, String format)
      throws IOException {
    Painter painter = Painter.forKind("scape");
    List<TinyParquet.ImageRow> part = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      BufferedImage img = painter.paint(size, size, i);
      String id = "scape:" + i;
      if (format.equals("raw")) {
        byte[] px = new byte[size * size * 3];
        int[] argb = img.getRGB(0, 0, size, size, null, 0, size);
        for (int p = 0; p < argb.length; p++) {
          px[3 * p] = (byte) (argb[p] >> 16);
          px[3 * p + 1] = (byte) (argb[p] >> 8);
          px[3 * p + 2] = (byte) argb[p];
        }
        part.add(new TinyParquet.ImageRow(id, px, "raw", size, size));
      } else {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        part.add(new TinyParquet.ImageRow(id, out.toByteArray(), format, size, size));
      }
      if (part.size() == 512 || i == rows - 1) {
        TinyParquet.images(conf, new Path(dir, String.format("part-%05d.parquet", i / 512)), part, 64);
        part.clear();
      }
    }
  }

  private static void writeLatents(Configuration conf, String dir, int rows) throws IOException {
    LatentSchema.Layout layout = new LatentSchema.Layout(List.of(new LatentSchema.Level(4, 32, 32),
        new LatentSchema.Level(4, 16, 16), new LatentSchema.Level(4, 8, 8)), LatentSchema.Dtype.FLOAT16, false,
        "bench", "bench", 256, 256);
    List<TinyParquet.LatentRow> part = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      part.add(TinyParquet.latent(layout, "z:" + i, i % 1000));
      if (part.size() == 512 || i == rows - 1) {
        TinyParquet.latents(conf, new Path(dir, String.format("part-%05d.parquet", i / 512)), layout, part, 64);
        part.clear();
      }
    }
  }
}
