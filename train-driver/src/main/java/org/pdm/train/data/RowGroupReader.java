package org.pdm.train.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.hadoop.conf.Configuration;
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
 * FileSystem, so any Hadoop path works (local, HDFS, S3A).
 */
final class RowGroupReader {
  private final Configuration conf;
  private final RowFormat format;

  RowGroupReader(Configuration conf, RowFormat format) {
    this.conf = conf;
    this.format = format;
  }

  /** The rows {@code wanted} (row numbers in the group) of {@code group}, in row order. */
  List<IndexedRow> read(DataIndex.RowGroup group, IntPredicate wanted) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(group.file(), conf))) {
      MessageType projection = DataIndex.projection(group.file(), reader.getFooter().getFileMetaData().getSchema(),
          format.columns());
      reader.setRequestedSchema(projection);
      PageReadStore pages = reader.readRowGroup(group.block());
      RecordReader<Group> records = new ColumnIOFactory().getColumnIO(projection)
          .getRecordReader(pages, new GroupRecordConverter(projection));
      List<IndexedRow> out = new ArrayList<>();
      for (int r = 0; r < group.rows(); r++) {
        Group record = records.read();
        if (wanted.test(r)) {
          String id = DataIndex.id(record);
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

  /** A row and its number in the whole input (row group's first + row in the group). */
  record IndexedRow(int index, RawRow row) {}
}
