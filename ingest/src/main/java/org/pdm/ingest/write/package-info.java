/**
 * Writing outcomes: the download tasks' checkpoint files ({@link org.pdm.ingest.write.PendingWriter},
 * Parquet through parquet-hadoop with the raw-image schema), the rejects schema, and the copy that
 * drops duplicate rows at commit.
 */
package org.pdm.ingest.write;
