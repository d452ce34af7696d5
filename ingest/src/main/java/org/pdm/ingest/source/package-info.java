/**
 * Sources and metadata filters: one {@link org.pdm.ingest.source.SourceReader} per source, all
 * producing {@link org.pdm.ingest.source.SourceItem} columns; license names
 * ({@link org.pdm.ingest.source.Licenses}); the filters ({@link org.pdm.ingest.source.MetadataFilter}).
 */
package org.pdm.ingest.source;
