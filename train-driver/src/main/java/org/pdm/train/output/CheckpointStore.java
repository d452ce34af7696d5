package org.pdm.train.output;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.train.Checkpoint;
import org.pdm.model.train.Trainer;
import org.pdm.train.data.StreamPosition;

/**
 * A run's checkpoints: each is written by model's {@link Checkpoint#save} (a temporary folder
 * renamed into place) as {@code checkpoints/step-NNNNNNNNN/}, with the data stream's position added
 * to its checkpoint.json ({@code data_position}: seed, epoch, batches) and the driver's settings
 * ({@code driver}); the newest is then also {@code checkpoint/} (hard links to the same files,
 * swapped in by rename, so that {@code pdm encode} and {@code --resume} find it at a fixed path);
 * the {@code keep-last} newest of {@code checkpoints/} are kept.
 */
public final class CheckpointStore {
  public static final String LATEST = "checkpoint";
  public static final String ALL = "checkpoints";
  private static final String POSITION = "data_position";
  private static final String DRIVER = "driver";

  private final Path root;
  private final int keepLast;

  public CheckpointStore(Path root, int keepLast) {
    this.root = root;
    this.keepLast = keepLast;
  }

  /** The newest checkpoint's folder (it may not exist yet). */
  public Path latest() {
    return root.resolve(LATEST);
  }

  /**
   * The checkpoint to resume from: the highest step among {@code checkpoint/} and {@code checkpoints/}
   * (a kill between writing a step's folder and publishing it leaves the step folder newer); null
   * when there is none.
   */
  public Path newest() throws IOException {
    Path best = null;
    long bestStep = -1;
    List<Path> candidates = new java.util.ArrayList<>(List.of(latest()));
    if (Files.isDirectory(root.resolve(ALL))) {
      try (Stream<Path> s = Files.list(root.resolve(ALL))) {
        s.filter(p -> p.getFileName().toString().startsWith("step-")).forEach(candidates::add);
      }
    }
    for (Path p : candidates) {
      if (Checkpoint.isCheckpoint(p)) {
        long step = Checkpoint.step(p);
        if (step > bestStep) {
          best = p;
          bestStep = step;
        }
      }
    }
    return best;
  }

  /** Saves the trainer's state after {@code trainer.step()} steps; returns the step folder. */
  public Path save(ModelConfig config, Trainer trainer, LatentScaler scaler, StreamPosition position,
      JsonObject driver) throws IOException {
    return save(config, trainer, scaler, position, driver, java.util.Map.of());
  }

  /**
   * As {@link #save(ModelConfig, Trainer, LatentScaler, StreamPosition, JsonObject)} with the whole
   * state of {@code companions} (the discriminator's trainer) in the same checkpoint (model's
   * {@link Checkpoint#save(Path, ModelConfig, Trainer, LatentScaler, JsonObject, java.util.Map)}).
   */
  public Path save(ModelConfig config, Trainer trainer, LatentScaler scaler, StreamPosition position,
      JsonObject driver, java.util.Map<String, Trainer> companions) throws IOException {
    JsonObject extra = new JsonObject();
    JsonObject p = new JsonObject();
    p.addProperty("seed", Long.toString(position.seed())); // a string: JSON readers lose 64-bit longs
    p.addProperty("epoch", position.epoch());
    p.addProperty("batches", position.batches());
    extra.add(POSITION, p);
    extra.add(DRIVER, driver);
    Path dir = root.resolve(ALL).resolve(String.format("step-%09d", trainer.step()));
    Checkpoint.save(dir, config, trainer, scaler, extra, companions);
    publish(dir);
    prune();
    return dir;
  }

  /** The stream position stored in a checkpoint; a checkpoint without one starts the stream afresh. */
  public static StreamPosition position(Path checkpoint, long seed) throws IOException {
    JsonObject meta = Checkpoint.metadata(checkpoint);
    if (!meta.has(POSITION)) {
      return StreamPosition.start(seed);
    }
    JsonObject p = meta.getAsJsonObject(POSITION);
    return new StreamPosition(Long.parseLong(p.get("seed").getAsString()), p.get("epoch").getAsInt(),
        p.get("batches").getAsLong());
  }

  /** The driver settings a checkpoint was written with, or null for one the driver did not write. */
  public static JsonObject driver(Path checkpoint) throws IOException {
    JsonObject meta = Checkpoint.metadata(checkpoint);
    return meta.has(DRIVER) ? meta.getAsJsonObject(DRIVER) : null;
  }

  /**
   * Makes {@code checkpoint/} the same files as {@code dir}: hard links in a temporary folder, renamed
   * in place of the old one, which is first set aside as {@code .checkpoint.old-*} (the name model's
   * {@link Checkpoint#recover} puts back if a crash falls between the two renames).
   */
  private void publish(Path dir) throws IOException {
    Path latest = latest();
    Checkpoint.recover(latest);
    Path tmp = Files.createTempDirectory(root, "." + LATEST + ".tmp-");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        try {
          Files.createLink(tmp.resolve(f.getFileName()), f);
        } catch (UnsupportedOperationException | IOException e) {
          Files.copy(f, tmp.resolve(f.getFileName())); // a file system without hard links
        }
      }
    }
    Path old = null;
    if (Files.exists(latest)) {
      old = root.resolve("." + LATEST + ".old-" + System.currentTimeMillis() + "-" + System.nanoTime());
      Files.move(latest, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteTree(old);
    }
  }

  private void prune() throws IOException {
    List<Path> steps;
    try (Stream<Path> s = Files.list(root.resolve(ALL))) {
      steps = s.filter(p -> p.getFileName().toString().startsWith("step-")).sorted().toList();
    }
    for (int i = 0; i < steps.size() - keepLast; i++) {
      deleteTree(steps.get(i));
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
