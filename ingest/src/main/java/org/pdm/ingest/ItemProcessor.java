package org.pdm.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.pdm.ingest.download.DownloadConfig;
import org.pdm.ingest.download.Downloader;
import org.pdm.ingest.download.FetchResult;
import org.pdm.ingest.download.ImageHeader;
import org.pdm.ingest.download.Reasons;
import org.pdm.ingest.source.FilterConfig;
import org.pdm.ingest.source.MetadataFilter;
import org.pdm.ingest.source.SourceItem;
import org.pdm.ingest.write.Outcome;

/**
 * One item from URL to outcome: fetch it, check the bytes are an image of an allowed format (magic
 * number and header, nothing decoded), apply the size filters to the real size, hash it. Knows
 * nothing of Spark; thread-safe.
 */
public final class ItemProcessor {
  private final Downloader downloader;
  private final MetadataFilter filter;

  public ItemProcessor(DownloadConfig download, FilterConfig filter, Configuration hadoop) {
    this.downloader = new Downloader(download, hadoop);
    this.filter = new MetadataFilter(filter);
  }

  public Outcome process(SourceItem item) {
    FetchResult r = downloader.fetch(item.url(), "files".equals(item.source()));
    Instant at = Instant.now();
    if (!r.ok()) {
      String detail = r.attempts() > 1 ? r.detail() + " (after " + r.attempts() + " attempts)" : r.detail();
      return Outcome.rejected(item, r.reason(), detail, r.httpStatus(), at);
    }
    if (r.body().length == 0) {
      return Outcome.rejected(item, Reasons.EMPTY_FILE, "0 bytes", r.httpStatus(), at);
    }
    ImageHeader header;
    try {
      header = ImageHeader.inspect(r.body());
    } catch (ImageHeader.Invalid e) {
      return Outcome.rejected(item, e.reason, e.getMessage(), r.httpStatus(), at);
    } catch (RuntimeException e) { // a crafted header the parser did not foresee: this item's problem only
      return Outcome.rejected(item, Reasons.NOT_IMAGE, "unreadable header: " + e, r.httpStatus(), at);
    }
    if (!filter.formatAllowed(header.format())) {
      return Outcome.rejected(item, Reasons.FORMAT, header.format() + " is not in pdm.ingest.filter.formats",
          r.httpStatus(), at);
    }
    String size = filter.sizeReason(header.width(), header.height());
    if (size != null) {
      return Outcome.rejected(item, size, "downloaded image is " + header.width() + "x" + header.height(),
          r.httpStatus(), at);
    }
    return Outcome.stored(item, r.finalUrl(), r.body(), sha256(r.body()), header, at);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
