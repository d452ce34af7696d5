package org.pdm.train.data;

import java.io.IOException;
import java.util.List;

/** The raw rows of each batch in order, read on one thread; decoding is done elsewhere. */
interface BatchSource extends AutoCloseable {
  /** The next batch's raw rows and the stream position after it, or null when the pass is over. */
  Planned next() throws IOException;

  /** Closes the files; called on the reading thread when it stops. */
  @Override
  void close();

  record Planned(List<RawRow> rows, StreamPosition after) {}
}
