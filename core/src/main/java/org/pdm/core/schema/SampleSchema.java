package org.pdm.core.schema;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The images {@code pdm sample} writes ({@code <samples>/images/}). The first five columns are those of
 * {@link DatasetSchema#DATASET} (same names, types and meaning), so that every dataset reader (FID,
 * encode, notebooks, {@link DatasetImages}) reads samples as it reads a dataset; the rest say how each
 * sample was made.
 */
public final class SampleSchema {
  private SampleSchema() {}

  /** {@code id} of sample {@code index}: {@code sample-00000042}. */
  public static String id(long index) {
    return String.format("sample-%08d", index);
  }

  public static final StructType SAMPLES = new StructType(new StructField[] {
      f("id", DataTypes.StringType, "sample-%08d of the index"),
      new StructField("image", DataTypes.BinaryType, false, DatasetSchema.IMAGE_METADATA),
      f("format", DataTypes.StringType, "png (8-bit RGB)"),
      f("width", DataTypes.IntegerType, "width in pixels"),
      f("height", DataTypes.IntegerType, "height in pixels"),
      f("index", DataTypes.LongType, "sample index, 0 to count-1; its noise depends only on (seed, index)"),
      f("seed", DataTypes.LongType, "the run's seed"),
      f("sampler", DataTypes.StringType, "the sampler, such as euler:200 or rk45:1e-05"),
      f("nfe", DataTypes.IntegerType, "network evaluations spent on this sample (its batch's, for rk45)"),
  });

  private static StructField f(String name, DataType type, String comment) {
    return new StructField(name, type, false, Metadata.empty()).withComment(comment);
  }
}
