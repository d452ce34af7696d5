package org.pdm.ingest.write;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rejects Parquet ({@code <out>/rejects/}): one row per item not stored, with its reason.
 * {@code phase} is {@code metadata} for the filters applied before downloading (recomputed by every
 * run, in {@code rejects/filtered/}) and {@code download} for everything found while fetching and
 * storing (kept: a rerun does not fetch these again).
 */
public final class RejectSchema {
  public static final String PHASE_METADATA = "metadata";
  public static final String PHASE_DOWNLOAD = "download";

  public static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("source", DataTypes.StringType, false)
      .add("source_id", DataTypes.StringType, false)
      .add("url", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, false)
      .add("detail", DataTypes.StringType, true)
      .add("http_status", DataTypes.IntegerType, true)
      .add("phase", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("rejected_at", DataTypes.TimestampType, false);

  private RejectSchema() {}
}
