package org.pdm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.pdm.core.config.ConfigError;
import org.pdm.core.config.PdmConfig;
import org.pdm.core.stage.OutputGuard;
import org.pdm.core.stage.StageInputs;
import org.pdm.core.stage.StageManifest;
import org.pdm.core.stage.StageOutput;
import org.pdm.core.stage.StagePathException;
import org.pdm.core.stage.StageResult;
import org.pdm.core.stage.StageSpec;
import org.pdm.core.stage.WorkLayout;
import org.pdm.model.Models;
import org.pdm.model.autoencoder.PyramidAutoEncoder;
import org.pdm.model.config.AutoEncoderConfig;
import org.pdm.model.config.ModelConfig;
import org.pdm.model.config.UNetConfig;
import org.pdm.model.flow.LatentScaler;
import org.pdm.model.gan.LpipsLoss;
import org.pdm.model.gan.PatchDiscriminator;
import org.pdm.model.nn.Module;
import org.pdm.model.train.Checkpoint;
import org.pdm.model.train.DataParallelTrainer;
import org.pdm.model.train.Trainer;
import org.pdm.model.unet.PyramidUNet;
import org.pdm.train.data.Batch;
import org.pdm.train.data.BadRows;
import org.pdm.train.data.DataProbe;
import org.pdm.train.data.ParquetBatchStream;
import org.pdm.train.data.StreamPosition;
import org.pdm.train.data.TrainData;
import org.pdm.train.data.TrainDataConfig;
import org.pdm.train.data.ValidationBatches;
import org.pdm.train.loop.AdversarialStep;
import org.pdm.train.loop.AutoencoderObjective;
import org.pdm.train.loop.FlowObjective;
import org.pdm.train.loop.Objective;
import org.pdm.train.loop.ReplicaStep;
import org.pdm.train.loop.StepRunner;
import org.pdm.train.loop.StopSignal;
import org.pdm.train.loop.TrainLoop;
import org.pdm.train.output.CheckpointStore;

/**
 * One {@code pdm train} run as a stage: resolves input and output through the work folder, decides
 * between a fresh run, a resume, a skip (the same finished run) and a refusal, all before any data
 * is read; then reads the data, builds or resumes the model and runs the {@link TrainLoop} in the
 * output folder, which {@link StageOutput#append} marks as this stage's at the start and commits
 * with its manifest at the end.
 *
 * <pre>
 * out/
 *   checkpoint/            the newest checkpoint (model's format + data_position); pdm encode reads it
 *   checkpoints/step-N/    the keep-last newest
 *   metrics.jsonl  loss.png  samples/step-N.png  bad-rows.jsonl  _manifest.json
 * </pre>
 */
public final class TrainRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainRun() {}

  /** How a run treats an output folder that already holds a checkpoint. */
  public enum Mode {
    /** Start a run; refuse an output that holds another run's checkpoint. */
    FRESH,
    /** Continue the run in the output folder ({@code --resume}). */
    RESUME,
    /**
     * What a scheduled chain wants: resume an unfinished run with the same settings, redo a finished one
     * whose configuration or data changed, skip one that is up to date.
     */
    CHAIN
  }

  /** Runs {@code objective} ("autoencoder" or "flow"); returns the stage result (skipped or written). */
  public static StageResult run(PdmConfig config, String objective, boolean resume, boolean force, PrintStream err)
      throws Exception {
    return run(config, objective, resume ? Mode.RESUME : Mode.FRESH, force, err);
  }

  public static StageResult run(PdmConfig config, String objective, Mode mode, boolean force, PrintStream err)
      throws Exception {
    Target t = Target.of(new Configuration(), config, objective);
    StageManifest existing = t.output.manifest();
    Checkpoint.recover(t.store.latest());
    java.nio.file.Path newest = t.store.newest();
    boolean hasCheckpoint = newest != null;
    boolean resume = mode == Mode.RESUME;
    ModelConfig fresh = null; // the model a run that does not resume takes, once decided
    if (mode == Mode.CHAIN && hasCheckpoint && existing != null && !existing.config().has("init")) {
      if (existing.finishedAt() == null) {
        resume = true;
      } else {
        fresh = t.model(null);
        StageOutput.Freshness now = t.output.freshness(t.stageSpec(fresh));
        if (!now.upToDate() && !now.reason().equals("inputs changed")
            && settingsDiff(CheckpointStore.driver(newest), spec(objective, t.s, t.o, fresh)).isEmpty()) {
          resume = true; // only the step target moved: go on from the last step
        } else if (!now.upToDate()) {
          err.println("train " + objective + ": " + t.out + " is a finished run on other settings or data ("
              + now.reason() + "); the chain redoes it");
          force = true;
        }
      }
    }
    if (existing != null && existing.config().has("init")) {
      if (!force) {
        throw new StagePathException("output " + t.out + " holds pdm model init's fresh checkpoint, not a training "
            + "run: train does not replace it unless told to; --force replaces it with this run, or give --out "
            + "another folder");
      }
      t.output.fs().delete(t.output.path(), true);
      hasCheckpoint = false;
    } else if (existing != null && force) {
      t.output.fs().delete(t.output.path(), true);
      hasCheckpoint = false;
    }
    if (resume && !hasCheckpoint) {
      throw new StagePathException("nothing to resume: " + t.out + " has no checkpoint/ yet; run without --resume");
    }
    ModelConfig model = resume ? t.model(newest) : fresh != null ? fresh : t.model(null);
    ObjectNode spec = spec(objective, t.s, t.o, model);
    StageSpec stageSpec = t.stageSpec(model);
    if (resume) {
      requireSameSettings(CheckpointStore.driver(newest), spec, newest);
    } else if (hasCheckpoint && !t.output.freshness(stageSpec).upToDate()) {
      throw new StagePathException("output " + t.out + " holds a training run (checkpoint at step "
          + Checkpoint.step(newest) + "): --resume continues it to step " + t.s.steps()
          + ", --force starts over (deleting it), or give --out another folder");
    }
    java.nio.file.Path resumeFrom = resume ? newest : null;
    return t.output.append(stageSpec, false, (fs, dir) -> !finished(t.store, t.s.steps()), ctx -> {
      try (StopSignal stop = StopSignal.install(600)) {
        train(ctx, config, t.hadoop, t.data, t.s, t.o, model, resumeFrom, t.local, spec, t.work, stop, err);
      }
    });
  }

  /**
   * What a fresh run of {@code objective} would record in its manifest, decided without training: for
   * {@code pdm pipeline --dry-run} and {@code pdm status}. Throws when the input is missing.
   */
  public static StageSpec stageSpec(Configuration hadoop, PdmConfig config, String objective) throws IOException {
    Target t = Target.of(hadoop, config, objective);
    return t.stageSpec(t.model(null));
  }

  /** The output folder of {@code objective} under this configuration. */
  public static String output(PdmConfig config, String objective) {
    ObjectiveSettings o = ObjectiveSettings.from(config, objective);
    WorkLayout.Folder folder = objective.equals(ObjectiveSettings.AUTOENCODER) ? WorkLayout.AUTOENCODER
        : WorkLayout.FLOW;
    return o.out().isEmpty() ? WorkLayout.of(config).dir(folder) : o.out();
  }

  /** A run's input, output and settings, resolved through the work folder before any data is read. */
  private static final class Target {
    final Configuration hadoop;
    final TrainSettings s;
    final ObjectiveSettings o;
    final boolean ae;
    final WorkLayout work;
    final WorkLayout.Folder folder;
    final Path data;
    final String out;
    final java.nio.file.Path local;
    final StageOutput output;
    final CheckpointStore store;

    private Target(Configuration hadoop, PdmConfig config, String objective) throws IOException {
      this.hadoop = hadoop;
      s = TrainSettings.from(config);
      o = ObjectiveSettings.from(config, objective);
      ae = objective.equals(ObjectiveSettings.AUTOENCODER);
      work = WorkLayout.of(config);
      WorkLayout.Folder upstream = ae ? WorkLayout.PREPROCESS : WorkLayout.LATENTS;
      folder = ae ? WorkLayout.AUTOENCODER : WorkLayout.FLOW;
      Path inPath = new Path(o.input().isEmpty() ? work.dir(upstream) : o.input());
      FileSystem inFs = inPath.getFileSystem(hadoop);
      data = StageInputs.data(inFs, inFs.makeQualified(inPath), upstream, "train " + objective,
          ae ? "preprocess's output folder or its dataset/ folder" : "encode's output folder or its latents/ folder");
      out = output(config, objective);
      local = localFolder(hadoop, out);
      OutputGuard.check(hadoop, out, folder.stage());
      output = StageOutput.at(hadoop, out);
      store = new CheckpointStore(local, s.keepLast());
      checkAcrossKeys(s, o);
    }

    static Target of(Configuration hadoop, PdmConfig config, String objective) throws IOException {
      return new Target(hadoop, config, objective);
    }

    /** The model: a resumed checkpoint's, the given config, or the shipped one that fits the data. */
    ModelConfig model(java.nio.file.Path resumeFrom) throws IOException {
      ModelConfig model = resumeFrom != null ? Checkpoint.config(resumeFrom) : DefaultModels.given(o.modelConfig());
      if (model == null) {
        if (ae) {
          int[] size = DataProbe.firstImageSize(hadoop, data);
          model = DefaultModels.autoencoderFor(size[0], size[1]);
        } else {
          model = DefaultModels.unetFor(DataProbe.layout(hadoop, data).levels());
        }
      }
      if (ae != model instanceof AutoEncoderConfig) {
        throw new ConfigError("--config: train " + o.objective() + " needs " + (ae ? "an autoencoder" : "a UNet")
            + " config, got a " + model.getClass().getSimpleName());
      }
      return model;
    }

    StageSpec stageSpec(ModelConfig model) throws IOException {
      return new StageSpec(folder.stage(), JSON.writeValueAsString(spec(o.objective(), s, o, model)),
          List.of(data.toString()));
    }
  }

  /** Checks between keys, before any data is read (each key's own range is checked where it is read). */
  static void checkAcrossKeys(TrainSettings s, ObjectiveSettings o) {
    int n = s.devices().size();
    if (n > s.batchSize()) {
      throw new ConfigError("pdm.train.devices names " + n + " devices but pdm.train.batch-size is " + s.batchSize()
          + ": each device takes a share of the batch; raise the batch size to at least " + n + " or name fewer devices");
    }
    if (n > 1 && o.adversarialBefore(s.steps())) {
      throw new ConfigError("pdm.train.devices: the discriminator's updates run on one device, and "
          + "pdm.train.autoencoder.disc-start (" + o.discStart() + ") comes within this run's " + s.steps()
          + " steps: train on one device, set disc-start beyond the step target, or disc-weight = 0 (no discriminator)");
    }
    if (o.perceptual() && !Files.isRegularFile(java.nio.file.Path.of(o.lpips()))) {
      throw new ConfigError("pdm.train.autoencoder.lpips = " + o.lpips() + " is not a file: give a TorchScript LPIPS "
          + "(none is downloaded; see docs/train.md), or \"\" for no perceptual term");
    }
  }

  private static void train(org.pdm.core.stage.StageContext ctx, PdmConfig config, Configuration hadoop, Path data,
      TrainSettings s, ObjectiveSettings o, ModelConfig model, java.nio.file.Path resumeFrom, java.nio.file.Path local,
      ObjectNode spec, WorkLayout work, StopSignal stop, PrintStream err) throws Exception {
    boolean ae = model instanceof AutoEncoderConfig;
    TrainData.Kind kind = ae ? TrainData.Kind.IMAGES : TrainData.Kind.LATENTS;
    TrainDataConfig dataConfig = TrainDataConfig.from(config.raw().getConfig("pdm.train"));
    if (!ae && !DefaultModels.matches(((UNetConfig) model).levels(), DataProbe.layout(hadoop, data).levels())) {
      throw new ConfigError("the UNet config's levels are not the latent cache's (" + DefaultModels.text(
          DataProbe.layout(hadoop, data).levels()) + "): give --config a UNet config with these levels");
    }
    if (ae) {
      int[] size = DataProbe.firstImageSize(hadoop, data);
      AutoEncoderConfig a = (AutoEncoderConfig) model;
      if (size[0] != a.imageWidth() || size[1] != a.imageHeight()) {
        throw new ConfigError("the dataset's images are " + size[0] + "x" + size[1] + ", the autoencoder config takes "
            + a.imageWidth() + "x" + a.imageHeight() + ": give --config a config of the dataset's size");
      }
    }
    List<Batch> validation = new ArrayList<>();
    long validationRows;
    try (ValidationBatches v = TrainData.validation(hadoop, data.toString(), kind, dataConfig, s.batchSize())) {
      validationRows = v.rows();
      for (Batch b = v.next(); b != null && validation.size() < s.validationBatches(); b = v.next()) {
        validation.add(b);
      }
    }
    List<Device> devices = TrainDevices.resolve(s.devices());
    List<AutoCloseable> owned = new ArrayList<>(); // closed in reverse, before the base manager
    try (NDManager base = NDManager.newBaseManager(devices.get(0))) {
      Trainer trainer;
      LatentScaler scaler = null;
      StreamPosition position;
      if (resumeFrom != null) {
        Checkpoint.Loaded loaded = Checkpoint.resume(resumeFrom, base, devices.get(0));
        trainer = loaded.trainer();
        scaler = loaded.scaler();
        position = CheckpointStore.position(resumeFrom, s.seed());
        err.println("train " + o.objective() + ": resuming " + resumeFrom + " at step " + trainer.step());
      } else {
        Module m = Models.build(model);
        m.initialize(base.newSubManager(), s.seed());
        trainer = new Trainer(m, o.trainConfig(s.seed(), s.steps()));
        position = StreamPosition.start(s.seed());
      }
      JsonObject driver = JsonParser.parseString(JSON.writeValueAsString(spec)).getAsJsonObject();
      try (ParquetBatchStream stream = TrainData.open(hadoop, data.toString(), kind, dataConfig, s.batchSize(),
          position)) {
        List<Module> others = new ArrayList<>(); // replicas 1.. (data parallel)
        for (Device d : devices.subList(1, devices.size())) {
          Module r = Models.build(model);
          r.initialize(base.newSubManager(d), s.seed()); // overwritten with the master's weights
          others.add(r);
        }
        Objective objective;
        StepRunner runner;
        if (ae) {
          PyramidAutoEncoder net = (PyramidAutoEncoder) trainer.model();
          List<LpipsLoss> lpips = new ArrayList<>();
          if (o.perceptual()) {
            java.util.Map<Device, LpipsLoss> byDevice = new java.util.HashMap<>();
            for (Device d : devices) {
              lpips.add(byDevice.computeIfAbsent(d, dev -> {
                LpipsLoss l = LpipsLoss.load(java.nio.file.Path.of(o.lpips()), dev);
                owned.add(l);
                return l;
              }));
            }
          }
          Batch sample = validation.isEmpty() ? firstBatch(hadoop, data, kind, dataConfig, s.seed()) : validation.get(0);
          objective = new AutoencoderObjective(net, o.reconLoss(), o.klWeight(), o.perceptualWeight(), lpips,
              first(sample, 8));
          runner = autoencoderRunner(o, s, objective, trainer, others, lpips, resumeFrom, base);
        } else {
          if (scaler == null) {
            scaler = LatentScalers.fromStats(hadoop, data, ((UNetConfig) model).levels().size(), o.scaleWarmup());
          }
          PyramidAutoEncoder decoder = Decoders.load(hadoop, o.autoencoder(), work, base, (UNetConfig) model, err);
          objective = new FlowObjective((PyramidUNet) trainer.model(), scaler, o.sampleSteps(), decoder);
          runner = others.isEmpty() ? new ReplicaStep(objective, trainer)
              : new ReplicaStep(objective, new DataParallelTrainer(trainer, others));
        }
        owned.add(runner);
        if (devices.size() > 1) {
          err.println("train " + o.objective() + ": data parallel on " + devices + ", " + s.batchSize()
              + " rows per step split across them");
        }
        Module emaModel = null;
        if (o.emaDecay() > 0) {
          emaModel = Models.build(model); // validation reads the EMA weights through it
          emaModel.initialize(base.newSubManager(), s.seed());
        }
        TrainLoop loop = new TrainLoop(objective, runner, emaModel, stream, validation, s, local, driver, stop, err);
        try {
          long step = ctx.timed("train", loop::run);
          ctx.count("steps", step);
        } finally {
          writeBadRows(local, stream.badRows());
        }
        ctx.count("train-rows", stream.trainingRows());
        ctx.count("validation-rows", validationRows);
        ctx.count("bad-rows", stream.badRows().count());
        ctx.count("parameters", trainer.model().numParameters());
        ctx.count("devices", devices.size());
      }
    } finally {
      for (int i = owned.size() - 1; i >= 0; i--) {
        owned.get(i).close();
      }
    }
  }

  /** Seed offset of the discriminator's initial weights (its own draws, apart from the autoencoder's). */
  private static final long DISCRIMINATOR_SEED = 0xD15C_0001L;

  /**
   * The autoencoder's step: with a discriminator, model's AutoEncoderObjective through
   * {@link AdversarialStep} on one device (the discriminator's trainer fresh or resumed from the
   * checkpoint); without one, or data parallel while the discriminator is not yet on (checked
   * before: {@link #checkAcrossKeys}), the objective's loss through {@link ReplicaStep}, the idle
   * discriminator kept in every checkpoint all the same.
   */
  private static StepRunner autoencoderRunner(ObjectiveSettings o, TrainSettings s, Objective objective,
      Trainer trainer, List<Module> others, List<LpipsLoss> lpips, java.nio.file.Path resumeFrom, NDManager base)
      throws IOException {
    java.util.Map<String, Trainer> companions = java.util.Map.of();
    Trainer discTrainer = null;
    PatchDiscriminator disc = null;
    if (o.discriminator()) {
      disc = new PatchDiscriminator((AutoEncoderConfig) objective.config());
      disc.initialize(base.newSubManager(), s.seed() ^ DISCRIMINATOR_SEED);
      discTrainer = resumeFrom != null ? Checkpoint.resumeCompanion(resumeFrom, AdversarialStep.DISCRIMINATOR, disc)
          : new Trainer(disc, o.discriminatorTrainConfig(s.seed(), s.steps()));
      companions = java.util.Map.of(AdversarialStep.DISCRIMINATOR, discTrainer);
    }
    if (disc != null && others.isEmpty()) {
      var settings = new org.pdm.model.gan.AutoEncoderObjective.Settings(o.reconLoss().equals("l1")
          ? org.pdm.model.gan.AutoEncoderObjective.Reconstruction.L1 : org.pdm.model.gan.AutoEncoderObjective.Reconstruction.L2,
          o.perceptual() ? o.perceptualWeight() : 0, o.discWeight(), o.discStart(), o.discFactor(), o.klWeight());
      var gan = new org.pdm.model.gan.AutoEncoderObjective((PyramidAutoEncoder) trainer.model(), disc, settings,
          lpips.isEmpty() ? null : lpips.get(0));
      return new AdversarialStep(gan, trainer, discTrainer);
    }
    ReplicaStep step = others.isEmpty() ? new ReplicaStep(objective, trainer)
        : new ReplicaStep(objective, new DataParallelTrainer(trainer, others));
    return step.keeping(companions);
  }

  /** The first training batch of a fresh stream (the autoencoder's sample grid when nothing is held out). */
  private static Batch firstBatch(Configuration hadoop, Path data, TrainData.Kind kind, TrainDataConfig cfg, long seed)
      throws IOException {
    try (ParquetBatchStream s = TrainData.open(hadoop, data.toString(), kind, cfg, 1, StreamPosition.start(seed))) {
      List<Batch> parts = new ArrayList<>();
      for (int i = 0; i < Math.min(8, s.trainingRows()); i++) {
        parts.add(s.next());
      }
      return concat(parts);
    }
  }

  /** The first {@code n} rows of a batch. */
  static Batch first(Batch b, int n) {
    if (b.size() <= n) {
      return b;
    }
    List<float[]> arrays = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    for (int t = 0; t < b.arrays().size(); t++) {
      long[] s = b.shapes().get(t).clone();
      int per = Math.toIntExact(b.arrays().get(t).length / s[0]);
      arrays.add(java.util.Arrays.copyOf(b.arrays().get(t), n * per));
      s[0] = n;
      shapes.add(s);
    }
    return new Batch(b.ids().subList(0, n), arrays, shapes);
  }

  private static Batch concat(List<Batch> parts) {
    List<String> ids = new ArrayList<>();
    List<float[]> arrays = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    for (int t = 0; t < parts.get(0).arrays().size(); t++) {
      int per = parts.get(0).arrays().get(t).length / parts.get(0).size();
      float[] a = new float[per * parts.size()];
      for (int i = 0; i < parts.size(); i++) {
        System.arraycopy(parts.get(i).arrays().get(t), 0, a, i * per, per);
      }
      arrays.add(a);
      long[] s = parts.get(0).shapes().get(t).clone();
      s[0] = parts.size();
      shapes.add(s);
    }
    parts.forEach(p -> ids.addAll(p.ids()));
    return new Batch(ids, arrays, shapes);
  }

  /** What decides the run: the objective's settings, the shared ones and the model (paths excluded). */
  static ObjectNode spec(String objective, TrainSettings s, ObjectiveSettings o, ModelConfig model) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("objective", objective);
    spec.set("train", JSON.valueToTree(s));
    ObjectNode obj = JSON.valueToTree(o);
    obj.remove(List.of("input", "out", "autoencoder", "modelConfig"));
    spec.set(objective, obj);
    spec.put("model", model.render());
    return spec;
  }

  /** Refuses a resume whose settings differ from the checkpoint's in anything but the step target. */
  private static void requireSameSettings(JsonObject stored, ObjectNode now, java.nio.file.Path checkpoint)
      throws IOException {
    if (stored == null) {
      throw new StagePathException(checkpoint + " was not written by pdm train: nothing to resume");
    }
    List<String> diff = settingsDiff(stored, now);
    if (!diff.isEmpty()) {
      throw new ConfigError("--resume: the settings differ from those of " + checkpoint + " in " + diff
          + ": a resumed run takes the same settings (only train.steps may change); --force starts over");
    }
  }

  /** The settings in which a checkpoint's run and this one differ, the step target aside; all when unknown. */
  private static List<String> settingsDiff(JsonObject stored, ObjectNode now) throws IOException {
    if (stored == null) {
      return List.of("(not written by pdm train)");
    }
    List<String> diff = new ArrayList<>();
    // both from text: same number types
    compare("", withoutSteps(JSON.readTree(stored.toString())), withoutSteps(JSON.readTree(now.toString())), diff);
    return diff;
  }

  private static JsonNode withoutSteps(JsonNode n) {
    ((ObjectNode) n.get("train")).remove("steps");
    return n;
  }

  private static void compare(String path, JsonNode a, JsonNode b, List<String> diff) {
    if (a.isObject() && b.isObject()) {
      java.util.Set<String> keys = new java.util.TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        compare(path.isEmpty() ? k : path + "." + k, a.path(k), b.path(k), diff);
      }
    } else if (!a.equals(b)) {
      diff.add(path);
    }
  }

  private static boolean finished(CheckpointStore store, long steps) {
    try {
      java.nio.file.Path newest = store.newest();
      return newest != null && Checkpoint.step(newest) >= steps;
    } catch (IOException e) {
      return false;
    }
  }

  private static void writeBadRows(java.nio.file.Path dir, BadRows bad) throws IOException {
    StringBuilder text = new StringBuilder();
    for (BadRows.Row r : bad.rows()) {
      text.append(JSON.writeValueAsString(JSON.createObjectNode().put("id", r.id()).put("reason", r.reason())))
          .append('\n');
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("bad-rows.jsonl"), text, StandardCharsets.UTF_8);
  }

  /** The output as a local folder: checkpoints are written with java.nio (model's Checkpoint). */
  private static java.nio.file.Path localFolder(Configuration hadoop, String out) throws IOException {
    Path p = new Path(out);
    FileSystem fs = p.getFileSystem(hadoop);
    if (!(fs instanceof LocalFileSystem)) {
      throw new StagePathException("output " + out + " is on " + fs.getScheme() + "://: training writes its "
          + "checkpoints to a local folder; give --out a local path and copy the folder afterwards");
    }
    return java.nio.file.Path.of(fs.makeQualified(p).toUri());
  }

  static JsonNode readJson(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return JSON.readTree(in);
    }
  }
}
