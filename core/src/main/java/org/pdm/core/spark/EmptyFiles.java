package org.pdm.core.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The zero-byte files of a file source (such as {@code binaryFile}). Spark lists them but its scan
 * leaves them out, so without this they would vanish: neither read nor rejected. Taken from the
 * listing the source already made, so nothing is listed twice.
 */
public final class EmptyFiles {
  private EmptyFiles() {}

  /** The empty files {@code df} was listed from; none when it is not read from files. */
  public static List<FileStatus> of(Dataset<Row> df) {
    List<FileStatus> empty = new ArrayList<>();
    LogicalPlan plan = df.queryExecution().analyzed();
    for (LogicalPlan leaf : CollectionConverters.asJava(plan.collectLeaves())) {
      if (leaf instanceof LogicalRelation r && r.relation() instanceof HadoopFsRelation fs
          && fs.location() instanceof PartitioningAwareFileIndex index) {
        for (FileStatus f : CollectionConverters.asJava(index.allFiles())) {
          if (f.getLen() == 0) {
            empty.add(f);
          }
        }
      }
    }
    return empty;
  }
}
