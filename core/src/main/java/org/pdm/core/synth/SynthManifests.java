package org.pdm.core.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.pdm.core.stage.WorkLayout;

/**
 * The two source manifests {@code pdm synth} writes beside its images: Unsplash Lite's
 * {@code photos.tsv} (its full header, fields we cannot make left empty) and a Flickr API export
 * in CSV ({@code flickr.csv}), with licenses and a few video rows so that the ingest filters have
 * something to do.
 */
final class SynthManifests {
  static final String UNSPLASH_HEADER = String.join("\t", "photo_id", "photo_url", "photo_image_url",
      "photo_submitted_at", "photo_featured", "photo_width", "photo_height", "photo_aspect_ratio", "photo_description",
      "photographer_username", "photographer_first_name", "photographer_last_name", "exif_camera_make",
      "exif_camera_model", "exif_iso", "exif_aperture_value", "exif_focal_length", "exif_exposure_time",
      "photo_location_name", "photo_location_latitude", "photo_location_longitude", "photo_location_country",
      "photo_location_city", "stats_views", "stats_downloads", "ai_description", "ai_primary_landscape_color",
      "blur_hash");
  static final String FLICKR_HEADER = "id,owner,title,license,media,url_o,width_o,height_o,tags";
  /** Flickr license ids, all-rights-reserved and non-commercial ones included. */
  private static final int[] LICENSES = {4, 9, 10, 2, 0, 5, 7, 1, 8, 4, 9};

  private SynthManifests() {}

  static void write(FileSystem fs, Path dir, List<SynthItem> items, String urlStyle, Path finalDir, long seed)
      throws IOException {
    try (Writer tsv = writer(fs, new Path(dir, WorkLayout.SYNTH_UNSPLASH));
        Writer csv = writer(fs, new Path(dir, WorkLayout.SYNTH_FLICKR))) {
      tsv.write(UNSPLASH_HEADER + "\n");
      csv.write(FLICKR_HEADER + "\n");
      SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
      for (SynthItem it : items) {
        String url = urlStyle.equals("file")
            ? new Path(new Path(finalDir, "images"), it.fileName()).toUri().toString()
            : "images/" + it.fileName();
        String description = it.kind().equals("scapes") ? "synthetic landscape " + it.index() : "synthetic portrait " + it.index();
        tsv.write(String.join("\t", it.id(), "https://unsplash.com/photos/" + it.id(), url,
            LocalDate.of(2020, 1, 1).plusDays(it.index() % 1500) + " 12:00:00", it.index() % 5 == 0 ? "t" : "f",
            Integer.toString(it.width()), Integer.toString(it.height()),
            String.format("%.2f", (double) it.width() / it.height()), description, "synth_" + (it.index() % 7),
            "Synth", "Photographer " + (it.index() % 7), "", "", "", "", "", "", "", "", "", "", "", "0", "0",
            description, "", "") + "\n");
        int license = LICENSES[r.nextInt(LICENSES.length)];
        String media = r.nextInt(12) == 0 ? "video" : "photo";
        csv.write(String.join(",", Long.toString(5_000_000_000L + it.index()), (it.index() % 7) + "@N0" + (it.index() % 3),
            "\"" + description + "\"", Integer.toString(license), media, url, Integer.toString(it.width()),
            Integer.toString(it.height()), it.kind()) + "\n");
      }
    }
  }

  private static Writer writer(FileSystem fs, Path path) throws IOException {
    OutputStream out = fs.create(path, true);
    return new OutputStreamWriter(out, StandardCharsets.UTF_8);
  }
}
