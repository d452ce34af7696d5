/**
 * Fetching one item, without Spark: the {@link org.pdm.ingest.download.Downloader} (HTTP with
 * retries, redirects, limits; Hadoop file systems), the address and robots checks, and
 * {@link org.pdm.ingest.download.ImageHeader} (format and size from the first bytes). Failures are
 * values ({@link org.pdm.ingest.download.FetchResult}) with a reason from
 * {@link org.pdm.ingest.download.Reasons}.
 */
package org.pdm.ingest.download;
