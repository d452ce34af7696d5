package org.pdm.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.ingest.IngestConfig;

class FiltersAndLicensesTest {
  private static FilterConfig filter(String... overrides) {
    return FilterConfig.from(PdmConfig.defaults().with(overrides).settings("ingest").section("filter"));
  }

  @Test
  void scapes2kPresetKeepsLandscapesOf2048By1024WithOpenLicenses() {
    PdmConfig scapes = PdmConfig.load("scapes2k", List.of("ingest.inputs=[x]"), new java.util.Properties());
    MetadataFilter f = new MetadataFilter(IngestConfig.from(scapes).filter());
    assertNull(f.reason("http://x/a.jpg", 4000, 2000, "cc-by", "photo"));
    assertEquals(MetadataFilter.MIN_SIZE, f.reason("http://x/a.jpg", 2047, 1500, "cc-by", "photo"));
    assertEquals(MetadataFilter.ORIENTATION, f.reason("http://x/a.jpg", 2048, 2048, "cc-by", "photo"));
    assertEquals(MetadataFilter.LICENSE, f.reason("http://x/a.jpg", 4000, 2000, "all-rights-reserved", "photo"));
    assertEquals(MetadataFilter.LICENSE, f.reason("http://x/a.jpg", 4000, 2000, null, "photo"));
    assertEquals(MetadataFilter.MEDIA, f.reason("http://x/a.mp4", 4000, 2000, "cc-by", "video"));
    assertEquals(MetadataFilter.MISSING_URL, f.reason(" ", 4000, 2000, "cc-by", "photo"));
    assertNull(f.reason("http://x/a.jpg", null, null, "cc0", null), "unknown sizes are checked after download");
  }

  @Test
  void people2kPresetKeepsBothSidesAtLeast2048() {
    PdmConfig people = PdmConfig.load("people2k", List.of("ingest.inputs=[x]"), new java.util.Properties());
    MetadataFilter f = new MetadataFilter(IngestConfig.from(people).filter());
    assertNull(f.reason("u", 3200, 2400, "unsplash", "photo"));
    assertNull(f.reason("u", 2400, 3200, "unsplash", "photo"));
    assertEquals(MetadataFilter.MIN_SIZE, f.reason("u", 3200, 2000, "unsplash", "photo"));
  }

  @Test
  void aspectRangeAndSquare() {
    MetadataFilter f = new MetadataFilter(filter("ingest.filter.min-aspect=1.2", "ingest.filter.max-aspect=2.5"));
    assertNull(f.sizeReason(200, 100));
    assertEquals(MetadataFilter.ASPECT, f.sizeReason(110, 100));
    assertEquals(MetadataFilter.ASPECT, f.sizeReason(300, 100));
    assertEquals(MetadataFilter.ORIENTATION, new MetadataFilter(filter("ingest.filter.orientation=square")).sizeReason(3, 2));
  }

  @Test
  void badFilterValuesNameTheKey() {
    ConfigError e = assertThrows(ConfigError.class, () -> filter("ingest.filter.licenses=[cc-by, mit]"));
    assertTrue(e.getMessage().contains("pdm.ingest.filter.licenses"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> filter("ingest.filter.min-aspect=3.0", "ingest.filter.max-aspect=2.0"));
    assertTrue(e.getMessage().contains("min-aspect"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> filter("ingest.filter.orientation=diagonal"));
    assertTrue(e.getMessage().contains("landscape"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> IngestConfig.from(PdmConfig.defaults()));
    assertTrue(e.getMessage().contains("pdm.ingest.inputs"), e.getMessage());
    e = assertThrows(ConfigError.class, () -> IngestConfig.from(PdmConfig.defaults().with("ingest.inputs=[x]",
        "ingest.download.max-bytes=1")));
    assertTrue(e.getMessage().contains("max-bytes"), e.getMessage());
  }

  @Test
  void licensesFromEverySource() {
    assertEquals("all-rights-reserved", Licenses.flickr("0"));
    assertEquals("cc-by", Licenses.flickr("4"));
    assertEquals("cc0", Licenses.flickr("9"));
    assertEquals("public-domain", Licenses.flickr("10"));
    assertNull(Licenses.flickr("11"));
    assertEquals("cc-by-nc-sa", Licenses.normalize("http://creativecommons.org/licenses/by-nc-sa/2.0/"));
    assertEquals("cc-by-nc-sa", Licenses.normalize("Attribution-NonCommercial-ShareAlike License"));
    assertEquals("cc-by", Licenses.normalize("Attribution License"));
    assertEquals("cc-by-nd", Licenses.normalize("CC BY-ND 4.0"));
    assertEquals("cc0", Licenses.normalize("https://creativecommons.org/publicdomain/zero/1.0/"));
    assertEquals("public-domain", Licenses.normalize("Public Domain Mark"));
    assertEquals("no-known-copyright", Licenses.normalize("No known copyright restrictions"));
    assertEquals("some custom license", Licenses.normalize("Some Custom License"));
    assertNull(Licenses.normalize(""));
  }

  @Test
  void relativeUrlsResolveAgainstTheBaseOrTheManifest() {
    assertEquals("http://mirror/x/images/a.jpg", Columns.resolve("images/a.jpg", "file:/data/m.tsv", "http://mirror/x/"));
    assertEquals("file:/data/images/a.jpg", Columns.resolve("images/a.jpg", "file:///data/m.tsv", ""));
    assertEquals("https://h/a.jpg", Columns.resolve("https://h/a.jpg", "file:/data/m.tsv", "http://mirror/"));
    assertEquals("https://cdn/a.jpg", Columns.resolve("//cdn/a.jpg", null, ""));
    assertNull(Columns.resolve("  ", null, ""));
  }
}
