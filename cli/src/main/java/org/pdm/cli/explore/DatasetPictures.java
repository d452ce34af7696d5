package org.pdm.cli.explore;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.pdm.core.schema.DatasetImages;
import org.pdm.core.stage.WorkLayout;

/** Pictures of preprocess's dataset rows, decoded the one way every reader does ({@link DatasetImages}). */
public final class DatasetPictures {
  private DatasetPictures() {}

  /** The first {@code n} rows by id of {@code <stageDir>/dataset}, as id -> picture. */
  public static Map<String, BufferedImage> first(SparkSession spark, String stageDir, int n)
      throws DatasetImages.BadImageException {
    return decode(spark.read().parquet(stageDir + "/" + WorkLayout.PREPROCESS.data()).orderBy("id").limit(n)
        .select("id", "image", "format", "width", "height").collectAsList());
  }

  /** The rows with the given ids, as id -> picture (ids not in the dataset are left out). */
  public static Map<String, BufferedImage> byId(SparkSession spark, String stageDir, List<String> ids)
      throws DatasetImages.BadImageException {
    return decode(spark.read().parquet(stageDir + "/" + WorkLayout.PREPROCESS.data())
        .where(functions.col("id").isin(ids.toArray())).orderBy("id")
        .select("id", "image", "format", "width", "height").collectAsList());
  }

  private static Map<String, BufferedImage> decode(List<Row> rows) throws DatasetImages.BadImageException {
    Map<String, BufferedImage> out = new LinkedHashMap<>();
    for (Row r : rows) {
      int w = r.getInt(3);
      int h = r.getInt(4);
      out.put(r.getString(0), ImageGrid.fromRgb(DatasetImages.rgb((byte[]) r.get(1), r.getString(2), w, h), w, h));
    }
    return out;
  }
}
