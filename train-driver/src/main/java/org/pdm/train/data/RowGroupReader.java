package org.pdm.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.pdm.core.stage.FileSystems;

/**
 * Reads one row group's {@code id} and the format's columns (and no other column) through Hadoop's
 * FileSystem, so any Hadoop path works (local, HDFS, S3A). The last {@link #OPEN_FILES} files stay
 * open: opening a file (status, footer, checksums) cost more than reading a row group of latents.
 * One thread uses a reader at a time.
 */
final class RowGroupReader implements AutoCloseable {
  static final int OPEN_FILES = 8;

  private final Configuration conf;
  private final RowFormat format;
  private final Map<Path, Open> open = new LinkedHashMap<>(16, 0.75f, true);

  private record Open(ParquetFileReader reader, MessageType projection) {}

  RowGroupReader(Configuration conf, RowFormat format) {
    this.conf = conf;
    this.format = format;
  }

  /** The rows {@code wanted} (row numbers in the group) of {@code group}, in row order. */
  List<IndexedRow> read(DataIndex.RowGroup group, IntPredicate wanted) throws IOException {
    try {
      Open file = file(group.file());
      PageReadStore pages = file.reader().readRowGroup(group.block());
      RecordReader<Group> records = new ColumnIOFactory().getColumnIO(file.projection())
          .getRecordReader(pages, new GroupRecordConverter(file.projection()));
      List<IndexedRow> out = new ArrayList<>();
      for (int r = 0; r < group.rows(); r++) {
        Group record = records.read();
        if (wanted.test(r)) {
          String id = DataIndexer.id(record);
          out.add(new IndexedRow(group.first() + r, id == null
              ? RawRow.bad(group.file().getName() + "#" + group.block() + ":" + r, "null id")
              : format.raw(id, record)));
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot read row group " + group.block() + " of " + FileSystems.display(group.file())
          + ": " + e.getMessage(), e);
    }
  }

  private Open file(Path path) throws IOException {
    Open file = open.get(path);
    if (file == null) {
      ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf));
      try {
        MessageType projection = DataIndexer.projection(path, reader.getFooter().getFileMetaData().getSchema(),
            format.columns());
        reader.setRequestedSchema(projection);
        file = new Open(reader, projection);
      } catch (IOException | RuntimeException e) {
        reader.close();
        throw e;
      }
      open.put(path, file);
      if (open.size() > OPEN_FILES) {
        var eldest = open.entrySet().iterator().next();
        open.remove(eldest.getKey());
        eldest.getValue().reader().close();
      }
    }
    return file;
  }

  @Override
  public void close() {
    for (Open file : open.values()) {
      try {
        file.reader().close();
      } catch (IOException ignored) {
        // nothing was written; the handle goes with the stream
      }
    }
    open.clear();
  }

  /** A row and its number in the whole input (row group's first + row in the group). */
  record IndexedRow(int index, RawRow row) {}
}
