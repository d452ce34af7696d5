package org.pdm.cli.explore;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code latent-stats.json} of a latent cache (docs/latent-cache.md): per level and channel statistics. */
public final class LatentStatsFile {
  private LatentStatsFile() {}

  public record Channel(int channel, long count, double mean, double std, double min, double max) {}

  public record Level(String column, String shape, List<Channel> channels) {}

  public static List<Level> read(Path file) throws IOException {
    JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    List<Level> levels = new ArrayList<>();
    for (JsonElement l : root.getAsJsonArray("levels")) {
      JsonObject lo = l.getAsJsonObject();
      List<Channel> channels = new ArrayList<>();
      for (JsonElement c : lo.getAsJsonArray("channels")) {
        JsonObject co = c.getAsJsonObject();
        channels.add(new Channel(co.get("channel").getAsInt(), co.get("count").getAsLong(), co.get("mean").getAsDouble(),
            co.get("std").getAsDouble(), co.get("min").getAsDouble(), co.get("max").getAsDouble()));
      }
      levels.add(new Level(lo.get("column").getAsString(), lo.get("shape").getAsString(), channels));
    }
    return levels;
  }
}
