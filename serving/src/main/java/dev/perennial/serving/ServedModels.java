package dev.perennial.serving;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ModelCodec;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.registry.TrafficSplit;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each model serves: its champion and, while a rollout runs, a canary taking a share of the
 * traffic, as the registry says. Versions load from S3 (SHA-256 checked, allowlisted
 * deserialization) before they take traffic; requests read an immutable {@link Routing}, so a
 * change never drops one in flight.
 */
final class ServedModels {
  private static final Logger log = LoggerFactory.getLogger(ServedModels.class);

  /** A loaded version: what a request needs to score rows. */
  record Loaded(String model, int version, ModelBundle bundle, FeatureSchema schema) {}

  /** Champion, optional canary and the canary's share, 0 to 100. */
  record Routing(Loaded champion, Loaded canary, int canaryPercent) {

    /**
     * The version for one request: with an entity key always the same one for that key (at a given
     * share), otherwise drawn per request.
     */
    Loaded choose(String entityKey) {
      if (canary == null || canaryPercent == 0) {
        return champion;
      }
      int slot;
      if (entityKey == null || entityKey.isBlank()) {
        slot = ThreadLocalRandom.current().nextInt(100);
      } else {
        CRC32 hash = new CRC32();
        hash.update((champion.model() + ":" + entityKey).getBytes(StandardCharsets.UTF_8));
        slot = (int) (hash.getValue() % 100);
      }
      return slot < canaryPercent ? canary : champion;
    }
  }

  private final ModelRegistry registry;
  private final SnapshotReader reader;
  private final ModelCodec codec;
  private final Map<String, Routing> routing = new ConcurrentHashMap<>();

  /** {@code codec} admits the models of the trainers this server has (built-in and plug-in). */
  ServedModels(ModelRegistry registry, ObjectStore store, ModelCodec codec) {
    this.registry = registry;
    this.reader = new SnapshotReader(store);
    this.codec = codec;
  }

  /** The model's routing, read from the registry on first use; empty without a champion. */
  Optional<Routing> current(String model) {
    Routing known = routing.get(model);
    if (known != null) {
      return Optional.of(known);
    }
    Routing fresh = read(model, null);
    if (fresh == null) {
      return Optional.empty();
    }
    return Optional.of(routing.computeIfAbsent(model, m -> fresh));
  }

  /** Reads every served model's champion and traffic split and swaps in what changed. */
  void refresh() {
    for (Map.Entry<String, Routing> served : routing.entrySet()) {
      String model = served.getKey();
      try {
        Routing next = read(model, served.getValue());
        if (next != null && !next.equals(served.getValue())) {
          routing.put(model, next);
          log.info(
              "{}: serving champion v{}{}",
              model,
              next.champion().version(),
              next.canary() == null
                  ? ""
                  : ", canary v" + next.canary().version() + " at " + next.canaryPercent() + " %");
        }
      } catch (RuntimeException e) {
        // S3 or a bad artifact: keep serving what is loaded and try again on the next tick.
        log.warn("{}: could not refresh what it serves: {}", model, e.toString());
      }
    }
  }

  /**
   * Routing as the registry has it now, reusing versions already loaded in {@code before}. A tick
   * that changes nothing reads two small objects (aliases and split); manifests and artifacts are
   * read only for a version not loaded yet.
   */
  private Routing read(String model, Routing before) {
    Integer champion = registry.aliases(model).get(Aliases.CHAMPION);
    if (champion == null) {
      return null;
    }
    TrafficSplit split = registry.trafficSplit(model);
    Loaded canary = null;
    if (split.canaryVersion() != null && !split.canaryVersion().equals(champion)) {
      canary = loadedOrLoad(before, model, split.canaryVersion(), "traffic split");
    }
    Loaded championLoaded = loadedOrLoad(before, model, champion, "champion alias");
    return new Routing(championLoaded, canary, canary == null ? 0 : split.canaryPercent());
  }

  /** Version {@code number} as loaded in {@code before}, else loaded from the registry now. */
  private Loaded loadedOrLoad(Routing before, String model, int number, String namedBy) {
    return loaded(before, number)
        .orElseGet(
            () ->
                load(
                    registry
                        .version(model, number)
                        .orElseThrow(
                            () ->
                                new IllegalStateException(
                                    "the " + namedBy + " names missing v" + number))));
  }

  private static Optional<Loaded> loaded(Routing before, int version) {
    if (before == null) {
      return Optional.empty();
    }
    if (before.champion().version() == version) {
      return Optional.of(before.champion());
    }
    if (before.canary() != null && before.canary().version() == version) {
      return Optional.of(before.canary());
    }
    return Optional.empty();
  }

  private Loaded load(ModelVersion version) {
    var model = version.artifacts().model();
    ModelBundle bundle = codec.deserialize(reader.readVerified(model), model);
    FeatureSchema schema =
        FeatureSchema.fromJson(reader.readVerified(version.artifacts().featureSchema()));
    return new Loaded(version.model(), version.version(), bundle, schema);
  }
}
