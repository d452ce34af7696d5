package org.pdm.ingest.write;

import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The Parquet schemas the download tasks write with parquet-hadoop: the raw-image rows exactly as
 * {@link org.pdm.core.schema.RawImageSchema} declares them (Spark reads them back as that schema;
 * pyarrow and DuckDB as plain strings, int64, int32, binary, a string map and a UTC timestamp),
 * and the checkpointed rejects.
 */
public final class ParquetSchemas {
  public static final MessageType RAW = MessageTypeParser.parseMessageType("""
      message raw_image {
        required binary id (STRING);
        required binary source (STRING);
        required binary source_id (STRING);
        optional binary url (STRING);
        optional binary license (STRING);
        optional binary author (STRING);
        optional binary caption (STRING);
        optional group extra (MAP) {
          repeated group key_value {
            required binary key (STRING);
            optional binary value (STRING);
          }
        }
        required binary sha256 (STRING);
        required int64 byte_size;
        required binary format (STRING);
        required int32 width;
        required int32 height;
        required binary image;
        required int64 fetched_at (TIMESTAMP(MICROS,true));
      }
      """);

  /** A rejected item; {@link RejectSchema} is the same as a Spark schema. */
  public static final MessageType REJECT = MessageTypeParser.parseMessageType("""
      message reject {
        required binary id (STRING);
        required binary source (STRING);
        required binary source_id (STRING);
        optional binary url (STRING);
        required binary reason (STRING);
        optional binary detail (STRING);
        optional int32 http_status;
        required binary phase (STRING);
        required binary run_id (STRING);
        required int64 rejected_at (TIMESTAMP(MICROS,true));
      }
      """);

  private ParquetSchemas() {}
}
