package org.pdm.core.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The features {@code pdm eval fid} keeps ({@code <eval>/features/real/} and {@code features/fake/}), so
 * that KID, precision/recall or another metric can be recomputed without the network. One row per
 * input picture; a picture that could not be used keeps its row with a null {@code features} and the
 * reason, so that nothing vanishes silently.
 */
public final class FeatureSchema {
  private FeatureSchema() {}

  /** Reasons in the {@code reason} column. */
  public static final String UNDECODABLE = "undecodable";
  public static final String EXTRACT_FAILED = "extract-failed";

  public static final StructType FEATURES = new StructType(new StructField[] {
      new StructField("id", DataTypes.StringType, false, Metadata.empty())
          .withComment("the picture's id in its input (dataset id, sample id or file path)"),
      new StructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), true, Metadata.empty())
          .withComment("the extractor's features (2048 for Inception-v3 pool3), float32; null when rejected"),
      new StructField("reason", DataTypes.StringType, true, Metadata.empty())
          .withComment("null when extracted; else undecodable or extract-failed"),
      new StructField("details", DataTypes.StringType, true, Metadata.empty())
          .withComment("why the picture was rejected, for people"),
  });
}
