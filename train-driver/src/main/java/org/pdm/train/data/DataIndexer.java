package org.pdm.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.pdm.core.schema.LatentSchema;
import org.pdm.core.schema.ValidationSplit;
import org.pdm.core.stage.FileSystems;
import org.pdm.core.stage.StagePathException;

/**
 * Builds a {@link DataIndex}: lists the Parquet files (sorted by path), reads their footers (row
 * groups) and their {@code id} column (and for pictures {@code width}, {@code height}; never the
 * pictures or latents), and splits each row group's rows into training and validation.
 */
final class DataIndexer {
  private DataIndexer() {}

  /**
   * Indexes the Parquet files under {@code data} (a file, or a folder searched recursively; names
   * starting with {@code _} or {@code .} are skipped as Spark's and Hadoop's bookkeeping), reading the
   * files' footers and id columns in {@code pool}.
   */
  static DataIndex scan(Configuration conf, Path data, TrainData.Kind kind, ValidationSplit split,
      ExecutorService pool) throws IOException {
    List<Path> files = parquetFiles(conf, data, kind);
    List<Future<FileScan>> futures = new ArrayList<>();
    for (Path f : files) {
      futures.add(pool.submit(() -> scanFile(conf, f, kind, split)));
    }
    List<FileScan> scans = new ArrayList<>();
    for (Future<FileScan> f : futures) {
      try {
        scans.add(f.get());
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while indexing " + FileSystems.display(data), e);
      }
    }
    List<DataIndex.RowGroup> groups = new ArrayList<>();
    List<int[]> training = new ArrayList<>();
    List<int[]> validation = new ArrayList<>();
    List<BadRows.Row> trainingBad = new ArrayList<>();
    List<BadRows.Row> validationBad = new ArrayList<>();
    Map<Long, Long> sizes = new LinkedHashMap<>();
    long first = 0;
    for (FileScan s : scans) {
      for (int b = 0; b < s.rows.size(); b++) {
        if (first + s.rows.get(b) > Integer.MAX_VALUE) {
          throw new IOException(FileSystems.display(data) + " holds more than " + Integer.MAX_VALUE
              + " rows, more than one stream reads: split it into several datasets");
        }
        groups.add(new DataIndex.RowGroup(s.file, b, s.rows.get(b), (int) first));
        training.add(s.training.get(b));
        validation.add(s.validation.get(b));
        first += s.rows.get(b);
      }
      trainingBad.addAll(s.trainingBad);
      validationBad.addAll(s.validationBad);
      s.sizes.forEach((k, v) -> sizes.merge(k, v, Long::sum));
    }
    if (first == 0) {
      throw new StagePathException("input " + FileSystems.display(data) + " has no rows: " + expected(kind));
    }
    RowFormat format = kind == TrainData.Kind.IMAGES ? imageFormat(sizes, data) : new LatentRows(sameLayout(scans));
    return new DataIndex(List.copyOf(groups), training.toArray(int[][]::new), validation.toArray(int[][]::new),
        format, List.copyOf(trainingBad), List.copyOf(validationBad));
  }

  /** What a stream of {@code kind} reads, for messages. */
  static String expected(TrainData.Kind kind) {
    return kind == TrainData.Kind.IMAGES
        ? "expected preprocess's output folder or its dataset/ (Parquet rows id, image, format, width, height)"
        : "expected encode's output folder or its latents/ (Parquet rows id, z0..zN with pdm.latent.* metadata)";
  }

  /** The dataset's size: the most common (width, height), the first seen on a tie. */
  private static ImageRows imageFormat(Map<Long, Long> sizes, Path data) {
    long best = -1;
    long bestCount = -1;
    for (Map.Entry<Long, Long> e : sizes.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    if (best < 0) {
      throw new StagePathException("input " + FileSystems.display(data) + " has no row with a width and height");
    }
    return new ImageRows((int) (best >>> 32), (int) best);
  }

  private static LatentSchema.Layout sameLayout(List<FileScan> scans) throws IOException {
    FileScan first = scans.get(0);
    for (FileScan s : scans) {
      if (!s.layout.levels().equals(first.layout.levels()) || s.layout.dtype() != first.layout.dtype()) {
        throw new IOException("latent files disagree: " + FileSystems.display(first.file) + " holds "
            + first.layout.metadata().get(LatentSchema.KEY_LEVELS) + " " + shapes(first.layout) + " "
            + first.layout.dtype().label() + ", " + FileSystems.display(s.file) + " holds " + shapes(s.layout) + " "
            + s.layout.dtype().label() + ": read one cache (one pdm encode output) at a time");
      }
    }
    return first.layout;
  }

  private static String shapes(LatentSchema.Layout layout) {
    return layout.levels().stream().map(LatentSchema.Level::text).map(t -> "(" + t + ")").toList().toString();
  }

  private static List<Path> parquetFiles(Configuration conf, Path data, TrainData.Kind kind) throws IOException {
    FileSystem fs = FileSystems.forPath(data, conf);
    if (!fs.exists(data)) {
      throw new StagePathException("input " + FileSystems.display(data) + " does not exist: " + expected(kind));
    }
    FileStatus status = fs.getFileStatus(data);
    if (!status.isDirectory()) {
      return List.of(status.getPath());
    }
    List<Path> out = new ArrayList<>();
    String root = status.getPath().toUri().getPath();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(data, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      String rel = p.toUri().getPath().substring(root.length());
      if (p.getName().endsWith(".parquet") && Arrays.stream(rel.split("/")).noneMatch(DataIndexer::hidden)) {
        out.add(p);
      }
    }
    if (out.isEmpty()) {
      throw new StagePathException("input " + FileSystems.display(data) + " holds no Parquet file (it holds "
          + org.pdm.core.stage.StageInputs.listing(fs, data) + "): " + expected(kind));
    }
    out.sort(null);
    return out;
  }

  private static boolean hidden(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }

  /** {@code file}'s schema cut to {@code id} and {@code columns}; a missing column is a clear error. */
  static MessageType projection(Path file, MessageType schema, List<String> columns) throws IOException {
    List<Type> fields = new ArrayList<>();
    List<String> names = new ArrayList<>(List.of("id"));
    names.addAll(columns);
    for (String name : names) {
      if (!schema.containsField(name)) {
        throw new IOException(FileSystems.display(file) + " has no column " + name + " (its columns: "
            + schema.getFields().stream().map(Type::getName).toList() + ")");
      }
      fields.add(schema.getType(name));
    }
    return new MessageType(schema.getName(), fields);
  }

  /** The row's id, or null. */
  static String id(Group record) {
    return record.getFieldRepetitionCount("id") == 0 ? null : record.getString("id", 0);
  }

  /** What one file contributes: per row group its row count and training/validation row numbers. */
  private static final class FileScan {
    final Path file;
    final List<Integer> rows = new ArrayList<>();
    final List<int[]> training = new ArrayList<>();
    final List<int[]> validation = new ArrayList<>();
    final List<BadRows.Row> trainingBad = new ArrayList<>();
    final List<BadRows.Row> validationBad = new ArrayList<>();
    /** Pictures' (width << 32 | height) and how many rows have it, in first-seen order. */
    final Map<Long, Long> sizes = new LinkedHashMap<>();
    LatentSchema.Layout layout;

    FileScan(Path file) {
      this.file = file;
    }
  }

  private static FileScan scanFile(Configuration conf, Path file, TrainData.Kind kind, ValidationSplit split)
      throws IOException {
    FileScan scan = new FileScan(file);
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<String> sizeColumns = List.of();
      if (kind == TrainData.Kind.IMAGES) {
        projection(file, schema, new ImageRows(1, 1).columns());
        sizeColumns = List.of("width", "height");
      } else {
        try {
          scan.layout = LatentSchema.Layout.fromMetadata(reader.getFileMetaData().getKeyValueMetaData());
        } catch (RuntimeException e) {
          throw new IOException(FileSystems.display(file) + " is not a latent cache file (" + e.getMessage()
              + "): " + expected(kind), e);
        }
        projection(file, schema, new LatentRows(scan.layout).columns());
      }
      MessageType projection = projection(file, schema, sizeColumns);
      reader.setRequestedSchema(projection);
      List<BlockMetaData> blocks = reader.getRowGroups();
      for (int b = 0; b < blocks.size(); b++) {
        int rows = Math.toIntExact(blocks.get(b).getRowCount());
        scan.rows.add(rows);
        int[] train = new int[rows];
        int[] val = new int[rows];
        int nt = 0;
        int nv = 0;
        if (rows > 0) {
          PageReadStore pages = reader.readRowGroup(b);
          RecordReader<Group> records = new ColumnIOFactory().getColumnIO(projection)
              .getRecordReader(pages, new GroupRecordConverter(projection));
          for (int r = 0; r < rows; r++) {
            Group record = records.read();
            String id = id(record);
            if (id == null) {
              scan.trainingBad.add(new BadRows.Row(file.getName() + "#" + b + ":" + r, "null id"));
              continue;
            }
            if (split.isValidation(id)) {
              val[nv++] = r;
            } else {
              train[nt++] = r;
            }
            if (!sizeColumns.isEmpty() && record.getFieldRepetitionCount("width") > 0
                && record.getFieldRepetitionCount("height") > 0) {
              long key = ((long) record.getInteger("width", 0) << 32) | (record.getInteger("height", 0) & 0xffffffffL);
              scan.sizes.merge(key, 1L, Long::sum);
            }
          }
        }
        scan.training.add(Arrays.copyOf(train, nt));
        scan.validation.add(Arrays.copyOf(val, nv));
      }
    } catch (StagePathException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read " + FileSystems.display(file) + " as Parquet: " + e.getMessage() + "; "
          + expected(kind), e);
    }
    return scan;
  }
}
