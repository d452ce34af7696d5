package org.pdm.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.pdm.model.Models;
import org.pdm.model.autoencoder.PyramidEncoderModel;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.ModelConfigs;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.nn.Module;
import org.pdm.model.nn.Param;

/**
 * A training checkpoint is a directory:
 * <pre>
 *   checkpoint.json          format name and version, step, Adam step, RNG state, train config,
 *                            latent-scaler state (if any)
 *   model.conf               the model config (HOCON), enough to rebuild the network
 *   weights.safetensors      weights and buffers, torch's names (spectral norm: weight_orig,
 *                            weight_u, weight_v as torch.nn.utils.spectral_norm)
 *   ema.safetensors          EMA weights, same names
 *   optimizer.safetensors    Adam moments m.NAME and v.NAME (same names)
 * </pre>
 * Written into a temporary sibling directory and renamed into place, so a reader never sees half a
 * checkpoint and a crash leaves the previous one: the previous directory is first renamed aside to
 * {@code .NAME.old-*}, and a crash between the two renames is repaired by {@link #recover} on the
 * next load or save. Loading builds the model on any device.
 */
public final class Checkpoint {
  /** Format name in checkpoint.json. */
  public static final String FORMAT = "pdm-model-checkpoint";
  /** Current format version. */
  public static final int VERSION = 1;

  private Checkpoint() {}

  /** Saves {@code trainer} (model built from {@code config}) and an optional scaler into {@code dir}. */
  public static void save(Path dir, ModelConfig config, Trainer trainer, LatentScaler scaler)
      throws IOException {
    save(dir, config, trainer, scaler, new JsonObject());
  }

  /**
   * As {@link #save(Path, ModelConfig, Trainer, LatentScaler)}, with {@code extra}'s members added to
   * checkpoint.json beside the standard fields (a training driver's data position); the format
   * version stays, as readers ignore members they do not know. Read them back with {@link #metadata}.
   */
  public static void save(Path dir, ModelConfig config, Trainer trainer, LatentScaler scaler,
      JsonObject extra) throws IOException {
    save(dir, config, trainer, scaler, extra, Map.of());
  }

  /**
   * As {@link #save(Path, ModelConfig, Trainer, LatentScaler, JsonObject)}, with the whole state of
   * further trainers saved beside the main one in the same atomic write (the autoencoder's
   * discriminator): for each name N, {@code N.safetensors}, {@code N-ema.safetensors} and
   * {@code N-optimizer.safetensors} (the main files' layouts) and {@code companions.N} in
   * checkpoint.json (step, adam_step, rng_state, train). {@link #resumeCompanion} reads one back.
   * Readers that do not know companions ignore them.
   */
  public static void save(Path dir, ModelConfig config, Trainer trainer, LatentScaler scaler,
      JsonObject extra, Map<String, Trainer> companions) throws IOException {
    for (String name : companions.keySet()) {
      if (!COMPANION_NAME.matcher(name).matches() || RESERVED.contains(name)) {
        throw new IllegalArgumentException("companion name \"" + name + "\": use lower-case letters, "
            + "digits and '-', other than " + RESERVED);
      }
    }
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    recover(dir);  // a crash in an earlier replace must not make this save drop the old checkpoint
    Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp-");
    try {
      JsonObject meta = new JsonObject();
      meta.addProperty("format", FORMAT);
      meta.addProperty("version", VERSION);
      trainerMeta(trainer).entrySet().forEach(e -> meta.add(e.getKey(), e.getValue()));
      for (var e : extra.entrySet()) {
        if (meta.has(e.getKey())) {
          throw new IllegalArgumentException("checkpoint.json already has " + e.getKey());
        }
        meta.add(e.getKey(), e.getValue());
      }
      if (scaler != null) {
        JsonObject sc = new JsonObject();
        sc.add("std", new Gson().toJsonTree(scaler.std()));
        sc.addProperty("updates", scaler.updates());
        sc.addProperty("warmup", scaler.warmup());
        sc.addProperty("decay", scaler.decay());
        meta.add("latent_scaler", sc);
      }
      if (!companions.isEmpty()) {
        JsonObject comp = new JsonObject();
        companions.forEach((name, t) -> comp.add(name, trainerMeta(t)));
        meta.add(COMPANIONS, comp);
      }
      Files.writeString(tmp.resolve("checkpoint.json"),
          new GsonBuilder().setPrettyPrinting().create().toJson(meta), StandardCharsets.UTF_8);
      Files.writeString(tmp.resolve("model.conf"), config.render(), StandardCharsets.UTF_8);
      Map<String, String> info = Map.of("format", FORMAT, "step", Long.toString(trainer.step()));
      writeState(tmp, "weights", "ema", "optimizer", trainer, info);
      for (var e : companions.entrySet()) {
        String n = e.getKey();
        writeState(tmp, n, n + "-ema", n + "-optimizer", e.getValue(), info);
      }
      replace(tmp, dir);
    } finally {
      deleteTree(tmp);
    }
  }

  /** checkpoint.json's member for the companion trainers. */
  private static final String COMPANIONS = "companions";
  private static final java.util.regex.Pattern COMPANION_NAME =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]*");
  private static final Set<String> RESERVED = Set.of("weights", "ema", "optimizer", "checkpoint");

  /** A trainer's step, Adam step, RNG state and train config, as checkpoint.json holds them. */
  private static JsonObject trainerMeta(Trainer trainer) {
    JsonObject meta = new JsonObject();
    meta.addProperty("step", trainer.step());
    meta.addProperty("adam_step", trainer.adam().step());
    JsonArray rng = new JsonArray();
    for (long s : trainer.rng().state()) {
      rng.add(Long.toString(s)); // strings: JSON numbers lose 64-bit precision in many readers
    }
    meta.add("rng_state", rng);
    meta.add("train", new Gson().toJsonTree(trainer.config()));
    return meta;
  }

  /** Weights, EMA and Adam moments of {@code trainer} as {@code NAME.safetensors} files in {@code dir}. */
  private static void writeState(Path dir, String weights, String ema, String optimizer,
      Trainer trainer, Map<String, String> info) throws IOException {
    Set<String> sn = spectralWeights(trainer.model());
    SafeTensors.write(dir.resolve(weights + ".safetensors"), weights(trainer.model()), info);
    SafeTensors.write(dir.resolve(ema + ".safetensors"), torchNames(trainer.ema().weights(), sn, ""),
        info);
    SafeTensors.write(dir.resolve(optimizer + ".safetensors"),
        torchNames(torchNames(trainer.adam().state(), sn, "m."), sn, "v."), info);
  }

  /**
   * The companion trainer {@code name} saved with the checkpoint, restored exactly (weights, EMA,
   * Adam moments and step, RNG, train config) around {@code model}, an initialised module of the
   * architecture that was saved.
   */
  public static Trainer resumeCompanion(Path dir, String name, Module model) throws IOException {
    recover(dir);
    JsonObject meta = readMeta(dir);
    if (!meta.has(COMPANIONS) || !meta.getAsJsonObject(COMPANIONS).has(name)) {
      throw new IOException(dir + " holds no " + name + " state: it was saved by a run without one");
    }
    JsonObject m = meta.getAsJsonObject(COMPANIONS).getAsJsonObject(name);
    setWeights(model, ourNames(SafeTensors.read(dir.resolve(name + ".safetensors"))));
    Trainer trainer = new Trainer(model, trainConfig(m));
    trainer.ema().load(ourNames(SafeTensors.read(dir.resolve(name + "-ema.safetensors"))));
    trainer.adam().load(ourNames(SafeTensors.read(dir.resolve(name + "-optimizer.safetensors"))),
        m.get("adam_step").getAsLong());
    trainer.restore(m.get("step").getAsLong(), rngState(m));
    return trainer;
  }

  /** The train config of a trainer's metadata, validated again. */
  private static TrainConfig trainConfig(JsonObject meta) {
    TrainConfig train = new Gson().fromJson(meta.get("train"), TrainConfig.class);
    return new TrainConfig(train.lr(), train.beta1(), train.beta2(), train.adamEps(),
        train.weightDecay(), train.warmupSteps(), train.gradClip(), train.accumulation(),
        train.emaDecay(), train.seed(), train.schedule(), train.totalSteps());
  }

  private static long[] rngState(JsonObject meta) {
    JsonArray rng = meta.getAsJsonArray("rng_state");
    long[] state = new long[rng.size()];
    for (int i = 0; i < state.length; i++) {
      state[i] = Long.parseLong(rng.get(i).getAsString());
    }
    return state;
  }

  /** Exports the weights (or EMA weights) of a model alone, PyTorch-style names. */
  public static void exportSafeTensors(Module model, ModelConfig config, Path file)
      throws IOException {
    SafeTensors.write(file, weights(model), Map.of("format", "pdm-model-weights", "config",
        config.render()));
  }

  /**
   * Weights and buffers under torch's names: a spectrally normalised {@code weight} is written as
   * {@code weight_orig} next to the buffers {@code weight_u} and {@code weight_v}, which is what
   * {@code torch.nn.utils.spectral_norm} registers, so that {@code load_state_dict} into a torch
   * module with spectral norm works (strictly; torch's load hook accepts the three without metadata).
   */
  public static Map<String, NDArray> weights(Module model) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    model.parameters().forEach((k, p) -> out.put(k, p.value()));
    return torchNames(out, spectralWeights(model), "");
  }

  /** Names of spectrally normalised weights: a {@code weight} with a sibling {@code weight_u}. */
  static Set<String> spectralWeights(Module model) {
    Set<String> out = new HashSet<>();
    Map<String, Param> p = model.parameters();
    for (String k : p.keySet()) {
      if ((k.equals("weight") || k.endsWith(".weight")) && p.containsKey(k + "_u")) {
        out.add(k);
      }
    }
    return out;
  }

  /** {@code prefix + w} becomes {@code prefix + w + "_orig"} for every w in {@code sn}; order kept. */
  private static <V> Map<String, V> torchNames(Map<String, V> in, Set<String> sn, String prefix) {
    Map<String, V> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k.startsWith(prefix) && sn.contains(k.substring(prefix.length()))
        ? k + "_orig" : k, v));
    return out;
  }

  /**
   * Back to our names: {@code ..weight_orig} -> {@code ..weight} (files written before the torch
   * names, with plain {@code weight}, read unchanged).
   */
  static Map<String, SafeTensors.Tensor> ourNames(Map<String, SafeTensors.Tensor> in) {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    in.forEach((k, v) -> out.put(k.endsWith("weight_orig")
        ? k.substring(0, k.length() - "_orig".length()) : k, v));
    return out;
  }

  /** A loaded checkpoint: config, model (weights or EMA weights), trainer (if requested), scaler. */
  public record Loaded(ModelConfig config, Module model, Trainer trainer, LatentScaler scaler,
      long step) {}

  /** The config stored in a checkpoint. */
  public static ModelConfig config(Path dir) throws IOException {
    recover(dir);
    return ModelConfigs.parse(Files.readString(dir.resolve("model.conf"), StandardCharsets.UTF_8));
  }

  /**
   * Loads the model on {@code device} in a new manager under {@code parent}; with {@code ema} the EMA
   * weights instead of the raw ones (for sampling).
   */
  public static Loaded loadModel(Path dir, NDManager parent, Device device, boolean ema)
      throws IOException {
    recover(dir);
    JsonObject meta = readMeta(dir);
    ModelConfig config = config(dir);
    Module model = Models.build(config);
    model.initialize(parent.newSubManager(device), 0);
    setWeights(model, ourNames(SafeTensors.read(
        dir.resolve(ema ? "ema.safetensors" : "weights.safetensors"))));
    return new Loaded(config, model, null, scaler(meta), meta.get("step").getAsLong());
  }

  /**
   * Writes a freshly initialized checkpoint of {@code config} (weights from {@code seed}, step 0, EMA
   * equal to the weights, default training settings) into {@code dir}: what {@code pdm model init}
   * makes for smoke tests and benchmarks before a trained checkpoint exists.
   */
  public static void initialize(Path dir, ModelConfig config, long seed) throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Module model = Models.build(config);
      model.initialize(manager.newSubManager(), seed);
      TrainConfig d = TrainConfig.defaults();
      Trainer trainer = new Trainer(model, new TrainConfig(d.lr(), d.beta1(), d.beta2(), d.adamEps(),
          d.weightDecay(), d.warmupSteps(), d.gradClip(), d.accumulation(), d.emaDecay(), seed));
      save(dir, config, trainer, null);
    }
  }

  /** True when {@code dir} holds a checkpoint's {@code checkpoint.json} of our format. */
  public static boolean isCheckpoint(Path dir) {
    try {
      readMeta(dir);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The whole of checkpoint.json (standard fields and those a caller added when saving). */
  public static JsonObject metadata(Path dir) throws IOException {
    recover(dir);
    return readMeta(dir);
  }

  /** The training step recorded in the checkpoint (0 for a fresh {@link #initialize}). */
  public static long step(Path dir) throws IOException {
    recover(dir);
    return readMeta(dir).get("step").getAsLong();
  }

  /**
   * Loads only the encoder of an autoencoder checkpoint on {@code device} (the decoder's weights are read from the file but
   * never reach the device), in a new manager under {@code parent}; EMA weights with {@code ema}.
   */
  public static PyramidEncoderModel loadEncoder(Path dir, NDManager parent, Device device, boolean ema)
      throws IOException {
    recover(dir);
    readMeta(dir);
    ModelConfig config = config(dir);
    if (!(config instanceof AutoEncoderConfig ae)) {
      throw new IOException(dir + " holds a " + config.getClass().getSimpleName()
          + " checkpoint, not an autoencoder's");
    }
    PyramidEncoderModel encoder = new PyramidEncoderModel(ae);
    encoder.initialize(parent.newSubManager(device), 0);
    setWeights(encoder, PyramidEncoderModel.encoderWeights(ourNames(SafeTensors.read(
        dir.resolve(ema ? "ema.safetensors" : "weights.safetensors")))));
    return encoder;
  }

  /** Loads everything needed to continue training exactly where the checkpoint left off. */
  public static Loaded resume(Path dir, NDManager parent, Device device) throws IOException {
    recover(dir);
    JsonObject meta = readMeta(dir);
    ModelConfig config = config(dir);
    TrainConfig train = trainConfig(meta);
    Module model = Models.build(config);
    model.initialize(parent.newSubManager(device), train.seed());
    setWeights(model, ourNames(SafeTensors.read(dir.resolve("weights.safetensors"))));
    Trainer trainer = new Trainer(model, train);
    trainer.ema().load(ourNames(SafeTensors.read(dir.resolve("ema.safetensors"))));
    trainer.adam().load(ourNames(SafeTensors.read(dir.resolve("optimizer.safetensors"))),
        meta.get("adam_step").getAsLong());
    long step = meta.get("step").getAsLong();
    trainer.restore(step, rngState(meta));
    return new Loaded(config, model, trainer, scaler(meta), step);
  }

  /**
   * Sets every parameter of {@code model} from {@code tensors} (torch's {@code weight_orig} names or
   * ours); names and shapes must match.
   */
  public static void setWeights(Module model, Map<String, SafeTensors.Tensor> tensors) {
    tensors = ourNames(tensors);
    for (Map.Entry<String, Param> e : model.parameters().entrySet()) {
      SafeTensors.Tensor t = tensors.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("weights lack " + e.getKey());
      }
      if (!t.shape().equals(e.getValue().shape())) {
        throw new IllegalArgumentException(e.getKey() + " has shape " + t.shape() + ", model expects "
            + e.getValue().shape());
      }
      e.getValue().set(t.data());
    }
  }

  private static JsonObject readMeta(Path dir) throws IOException {
    Path f = dir.resolve("checkpoint.json");
    if (!Files.isRegularFile(f)) {
      throw new IOException(dir + " is not a checkpoint (no checkpoint.json)");
    }
    JsonObject meta = new Gson().fromJson(Files.readString(f, StandardCharsets.UTF_8),
        JsonObject.class);
    if (!FORMAT.equals(meta.get("format").getAsString())) {
      throw new IOException(f + ": format " + meta.get("format") + ", expected " + FORMAT);
    }
    int version = meta.get("version").getAsInt();
    if (version > VERSION) {
      throw new IOException(f + ": format version " + version + " is newer than this code ("
          + VERSION + ")");
    }
    return meta;
  }

  private static LatentScaler scaler(JsonObject meta) {
    if (!meta.has("latent_scaler")) {
      return null;
    }
    JsonObject sc = meta.getAsJsonObject("latent_scaler");
    return LatentScaler.restore(new Gson().fromJson(sc.get("std"), double[].class),
        sc.get("updates").getAsInt(), sc.get("warmup").getAsInt(), sc.get("decay").getAsDouble());
  }

  /**
   * Renames {@code tmp} to {@code dir}, moving a previous {@code dir} aside first. Between the two
   * renames {@code dir} does not exist; a crash there leaves the previous checkpoint in the
   * {@code .NAME.old-*} sibling, which {@link #recover} puts back.
   */
  private static void replace(Path tmp, Path dir) throws IOException {
    Path old = null;
    if (Files.exists(dir)) {
      old = dir.resolveSibling(oldPrefix(dir) + System.currentTimeMillis() + "-"
          + System.nanoTime());
      move(dir, old);
    }
    move(tmp, dir);
    if (old != null) {
      deleteTree(old);
    }
  }

  /** Name prefix of a checkpoint set aside by {@link #replace}. */
  private static String oldPrefix(Path dir) {
    return "." + dir.getFileName() + ".old-";
  }

  /**
   * Repairs what a crash inside {@link #replace} can leave (called by every load and save): if
   * {@code dir} is missing, the set-aside previous checkpoint (the {@code .NAME.old-*} sibling with
   * the highest step) is renamed back; if {@code dir} is there, set-aside copies are leftovers of a
   * finished replace and are deleted. Temporary {@code .NAME.tmp-*} siblings are never read.
   */
  public static void recover(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      return;
    }
    String prefix = oldPrefix(dir);
    List<Path> old;
    try (Stream<Path> s = Files.list(parent)) {
      old = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
    if (old.isEmpty()) {
      return;
    }
    if (!Files.exists(dir)) {
      Path best = null;
      long bestStep = -1;
      for (Path p : old) {
        long step = stepOf(p);
        if (step > bestStep) {
          best = p;
          bestStep = step;
        }
      }
      if (best != null) {
        move(best, dir);
      }
    }
    if (Files.exists(dir)) {
      for (Path p : old) {
        deleteTree(p);
      }
    }
  }

  /** The step recorded in a set-aside checkpoint, -1 if it is not a whole checkpoint. */
  private static long stepOf(Path p) {
    try {
      for (String f : List.of("model.conf", "weights.safetensors", "ema.safetensors",
          "optimizer.safetensors")) {
        if (!Files.isRegularFile(p.resolve(f))) {
          return -1;
        }
      }
      return readMeta(p).get("step").getAsLong();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteTree(Path p) throws IOException {
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
