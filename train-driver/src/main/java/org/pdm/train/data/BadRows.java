package org.pdm.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows a training stream skipped (undecodable image, wrong latent shape), with id and reason. More
 * than {@code limit} stops the run with the list ({@link TooManyBadRowsException}).
 */
public final class BadRows {
  /** One skipped row. */
  public record Row(String id, String reason) {}

  private final int limit;
  private final List<Row> rows = new ArrayList<>();

  public BadRows(int limit) {
    this.limit = limit;
  }

  /** Counts a skipped row; throws once more than {@code limit} rows were skipped. */
  public synchronized void add(String id, String reason) {
    rows.add(new Row(id, reason));
    if (rows.size() > limit) {
      throw new TooManyBadRowsException(limit, List.copyOf(rows));
    }
  }

  public synchronized int count() {
    return rows.size();
  }

  public synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  /** More bad rows than train.max-bad-rows: the run stops and names them. */
  public static final class TooManyBadRowsException extends RuntimeException {
    private final List<Row> rows;

    public TooManyBadRowsException(int limit, List<Row> rows) {
      super(rows.size() + " rows could not be used, more than train.max-bad-rows = " + limit + ": "
          + rows.stream().limit(20).map(r -> r.id() + " (" + r.reason() + ")").toList()
          + (rows.size() > 20 ? " and " + (rows.size() - 20) + " more" : ""));
      this.rows = rows;
    }

    public List<Row> rows() {
      return rows;
    }
  }
}
