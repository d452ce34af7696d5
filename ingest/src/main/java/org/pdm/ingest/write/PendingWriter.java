package org.pdm.ingest.write;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.io.api.Binary;
import org.pdm.ingest.source.SourceItem;

/**
 * A download task's writer: stored images go to {@code raw-*.parquet} (the raw-image schema),
 * rejects to {@code rejects-*.parquet}, both in the output's {@code pending/} folder, in files
 * closed every {@code checkpoint-items} items or {@code checkpoint-bytes}. These files are what an
 * interrupted run leaves and the next one resumes from; a run ends by committing them.
 */
public final class PendingWriter implements AutoCloseable {
  public static final String RAW_PREFIX = "raw";
  public static final String REJECTS_PREFIX = "rejects";

  private final ChunkWriter raw;
  private final ChunkWriter rejects;
  private final SimpleGroupFactory rawRows = new SimpleGroupFactory(ParquetSchemas.RAW);
  private final SimpleGroupFactory rejectRows = new SimpleGroupFactory(ParquetSchemas.REJECT);
  private final String runId;

  /**
   * @param name unique per task attempt, such as {@code <runId>-p00003-a0}
   */
  public PendingWriter(FileSystem fs, Configuration conf, Path pendingDir, String name, String runId, int maxRows,
      long maxBytes) {
    this.raw = new ChunkWriter(fs, conf, pendingDir, RAW_PREFIX + "-" + name, ParquetSchemas.RAW, maxRows, maxBytes);
    this.rejects = new ChunkWriter(fs, conf, pendingDir, REJECTS_PREFIX + "-" + name, ParquetSchemas.REJECT, maxRows,
        maxBytes);
    this.runId = runId;
  }

  public void write(Outcome o) throws IOException {
    if (o.isStored()) {
      raw.write(rawRow(o), o.image().length);
    } else {
      rejects.write(rejectRow(o.item(), o.reason(), o.detail(), o.httpStatus(), RejectSchema.PHASE_DOWNLOAD, o.at()), 256);
    }
  }

  Group rawRow(Outcome o) {
    SourceItem it = o.item();
    Group g = rawRows.newGroup();
    g.append("id", it.id()).append("source", it.source()).append("source_id", it.sourceId());
    appendIf(g, "url", o.url());
    appendIf(g, "license", it.license());
    appendIf(g, "author", it.author());
    appendIf(g, "caption", it.caption());
    Group extra = g.addGroup("extra");
    for (Map.Entry<String, String> e : o.extra().entrySet()) {
      Group kv = extra.addGroup("key_value").append("key", e.getKey());
      appendIf(kv, "value", e.getValue());
    }
    g.append("sha256", o.sha256()).append("byte_size", (long) o.image().length)
        .append("format", o.header().format()).append("width", o.header().width())
        .append("height", o.header().height()).append("image", Binary.fromConstantByteArray(o.image()))
        .append("fetched_at", micros(o.at()));
    return g;
  }

  Group rejectRow(SourceItem it, String reason, String detail, int status, String phase, Instant at) {
    Group g = rejectRows.newGroup();
    g.append("id", it.id()).append("source", it.source()).append("source_id", it.sourceId());
    appendIf(g, "url", it.url());
    g.append("reason", reason);
    appendIf(g, "detail", detail == null ? null : detail.length() > 500 ? detail.substring(0, 500) : detail);
    if (status > 0) {
      g.append("http_status", status);
    }
    g.append("phase", phase).append("run_id", runId).append("rejected_at", micros(at));
    return g;
  }

  private static void appendIf(Group g, String field, String value) {
    if (value != null) {
      g.append(field, value);
    }
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  @Override
  public void close() throws IOException {
    try {
      raw.close();
    } finally {
      rejects.close();
    }
  }

  /** Leaves only the files already closed: the task failed. */
  public void abort() {
    raw.abort();
    rejects.abort();
  }
}
