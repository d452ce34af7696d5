package org.pdm.ingest.write;

import java.time.Instant;
import java.util.Map;
import org.pdm.ingest.download.ImageHeader;
import org.pdm.ingest.source.SourceItem;

/**
 * What became of one item in a download task: stored (with its bytes, hash and header) or
 * rejected (with its reason). Exactly one of the two.
 */
public record Outcome(SourceItem item, String url, byte[] image, String sha256, ImageHeader header, String reason,
    String detail, int httpStatus, Instant at) {

  public static Outcome stored(SourceItem item, String url, byte[] image, String sha256, ImageHeader header, Instant at) {
    return new Outcome(item, url, image, sha256, header, null, null, 0, at);
  }

  public static Outcome rejected(SourceItem item, String reason, String detail, int httpStatus, Instant at) {
    return new Outcome(item, item.url(), null, null, null, reason, detail, httpStatus, at);
  }

  public boolean isStored() {
    return reason == null;
  }

  /** The extra map, empty when the source gave none. */
  public Map<String, String> extra() {
    return item.extra() == null ? Map.of() : item.extra();
  }
}
