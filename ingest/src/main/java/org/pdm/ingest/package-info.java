/**
 * {@code pdm ingest}: {@link org.pdm.ingest.IngestCommand} (CLI), {@link org.pdm.ingest.IngestConfig}
 * (typed, validated settings), {@link org.pdm.ingest.IngestJob} (Spark wiring), the per-item
 * {@link org.pdm.ingest.ItemProcessor}, and the commit of checkpoints into the output
 * ({@link org.pdm.ingest.PendingCommit}). See docs/ingest.md.
 */
package org.pdm.ingest;
