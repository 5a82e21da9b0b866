package dev.perennial.serving;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ModelLoader;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.registry.TrafficSplit;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each model serves: its champion and, while a rollout runs, a canary taking a share of the
 * traffic or a shadow scoring a share of the requests unseen, as the registry says. Versions load
 * from S3 (SHA-256 checked, allowlisted deserialization) before they take traffic; requests read an
 * immutable {@link Routing}, so a change never drops one in flight.
 */
final class ServedModels {
  private static final Logger log = LoggerFactory.getLogger(ServedModels.class);

  /**
   * A loaded version: what a request needs to score rows, and when the registry registered it (null
   * when its entry has no readable time).
   */
  record Loaded(
      String model, int version, ModelBundle bundle, FeatureSchema schema, Instant registered) {

    Loaded(String model, int version, ModelBundle bundle, FeatureSchema schema) {
      this(model, version, bundle, schema, null);
    }

    /**
     * The probability of class 1 for each row, in order.
     *
     * @throws RuntimeException when the model fails on a row or answers something that is not a
     *     probability: the version failed, not the client
     */
    double[] score(java.util.List<? extends Map<String, ?>> rows) {
      double[] probabilities = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        double p = bundle.predictProba(rows.get(i));
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalStateException("the model answered " + p + ", not a probability");
        }
        probabilities[i] = p;
      }
      return probabilities;
    }
  }

  /**
   * Champion, optional canary and the canary's share, optional shadow and the share of requests it
   * scores, each 0 to 100 (at most one of canary and shadow is set).
   */
  record Routing(
      Loaded champion, Loaded canary, int canaryPercent, Loaded shadow, int shadowPercent) {

    Routing(Loaded champion, Loaded canary, int canaryPercent) {
      this(champion, canary, canaryPercent, null, 0);
    }

    /**
     * The version that answers one request: with an entity key always the same one for that key (at
     * a given share), otherwise drawn per request.
     */
    Loaded choose(String entityKey) {
      if (canary == null || canaryPercent == 0) {
        return champion;
      }
      return slot(entityKey) < canaryPercent ? canary : champion;
    }

    /**
     * The shadow that also scores one request, or null: drawn like {@link #choose}, so with an
     * entity key a key's requests are all shadowed or none are.
     */
    Loaded shadowFor(String entityKey) {
      if (shadow == null || shadowPercent == 0) {
        return null;
      }
      return shadowPercent >= 100 || slot(entityKey) < shadowPercent ? shadow : null;
    }

    private int slot(String entityKey) {
      if (entityKey == null || entityKey.isBlank()) {
        return ThreadLocalRandom.current().nextInt(100);
      }
      CRC32 hash = new CRC32();
      hash.update((champion.model() + ":" + entityKey).getBytes(StandardCharsets.UTF_8));
      return (int) (hash.getValue() % 100);
    }
  }

  /**
   * The versions the registry names for a model: its champion alias and, while a rollout runs, the
   * canary of its traffic split with the canary's share, or the shadow with the share it scores.
   */
  record Wanted(
      Integer champion, Integer canary, int canaryPercent, Integer shadow, int shadowPercent) {

    Wanted(Integer champion, Integer canary, int canaryPercent) {
      this(champion, canary, canaryPercent, null, 0);
    }
  }

  /**
   * What the registry wants served for a model beside what this server serves, and why they differ
   * when they do (an artifact that fails its check, S3 unreachable). {@code wanted} is null while
   * the registry cannot be read; {@code championRegistered} is when the served champion was
   * registered, null when unknown.
   */
  record Sync(
      Wanted wanted,
      Integer servedChampion,
      Integer servedCanary,
      String problem,
      Instant championRegistered,
      Integer servedShadow) {

    Sync(Wanted wanted, Integer servedChampion, Integer servedCanary, String problem) {
      this(wanted, servedChampion, servedCanary, problem, null, null);
    }

    boolean inSync() {
      return wanted != null
          && Objects.equals(wanted.champion(), servedChampion)
          && Objects.equals(wanted.canary(), servedCanary)
          && Objects.equals(wanted.shadow(), servedShadow);
    }

    static Sync of(Wanted wanted, Routing served, String problem) {
      return new Sync(
          wanted,
          served == null ? null : served.champion().version(),
          served == null || served.canary() == null ? null : served.canary().version(),
          problem,
          served == null ? null : served.champion().registered(),
          served == null || served.shadow() == null ? null : served.shadow().version());
    }
  }

  private final ModelRegistry registry;
  private final ModelLoader loader;
  private final Map<String, Routing> routing = new ConcurrentHashMap<>();
  private final Map<String, Sync> sync = new ConcurrentHashMap<>();

  /** {@code loader} admits the models of the trainers this server has (built-in and plug-in). */
  ServedModels(ModelRegistry registry, ModelLoader loader) {
    this.registry = registry;
    this.loader = loader;
  }

  /** The model's routing, read from the registry on first use; empty without a champion. */
  Optional<Routing> current(String model) {
    Routing known = routing.get(model);
    if (known != null) {
      return Optional.of(known);
    }
    Wanted wanted = wanted(model);
    if (wanted.champion() == null) {
      return Optional.empty();
    }
    Routing fresh = route(model, wanted, null);
    Routing kept = routing.computeIfAbsent(model, m -> fresh);
    sync.putIfAbsent(model, Sync.of(wanted, kept, null));
    return Optional.of(kept);
  }

  /** Per served model, what the registry wants beside what is served, as of the last refresh. */
  Map<String, Sync> sync() {
    return Map.copyOf(sync);
  }

  /**
   * Reads every served model's champion and traffic split and swaps in what changed. A version that
   * cannot load leaves the model serving what it served, recorded in {@link #sync()}.
   */
  void refresh() {
    for (Map.Entry<String, Routing> served : routing.entrySet()) {
      String model = served.getKey();
      Routing before = served.getValue();
      Wanted wanted = null;
      try {
        wanted = wanted(model);
        Routing next = wanted.champion() == null ? before : route(model, wanted, before);
        if (!next.equals(before)) {
          routing.put(model, next);
          log.info(
              "{}: serving champion v{}{}",
              model,
              next.champion().version(),
              next.canary() != null
                  ? ", canary v" + next.canary().version() + " at " + next.canaryPercent() + " %"
                  : next.shadow() != null
                      ? ", shadow v"
                          + next.shadow().version()
                          + " scoring "
                          + next.shadowPercent()
                          + " % of the requests"
                      : "");
        }
        sync.put(
            model,
            Sync.of(
                wanted, next, wanted.champion() == null ? "the registry names no champion" : null));
      } catch (RuntimeException e) {
        // S3 or a bad artifact: keep serving what is loaded and try again on the next tick.
        log.warn("{}: could not refresh what it serves: {}", model, e.toString());
        sync.put(model, Sync.of(wanted, before, String.valueOf(e.getMessage())));
      }
    }
  }

  /** Two small reads: the aliases and the traffic split. */
  private Wanted wanted(String model) {
    Integer champion = registry.aliases(model).get(Aliases.CHAMPION);
    if (champion == null) {
      return new Wanted(null, null, 0);
    }
    TrafficSplit split = registry.trafficSplit(model);
    if (split.canaryVersion() != null && !split.canaryVersion().equals(champion)) {
      return new Wanted(champion, split.canaryVersion(), split.canaryPercent());
    }
    if (split.shadowVersion() != null && !split.shadowVersion().equals(champion)) {
      return new Wanted(champion, null, 0, split.shadowVersion(), split.shadowPercent());
    }
    return new Wanted(champion, null, 0);
  }

  /**
   * Routing to the wanted versions, reusing versions already loaded in {@code before}: manifests
   * and artifacts are read only for a version not loaded yet.
   */
  private Routing route(String model, Wanted wanted, Routing before) {
    Loaded canary =
        wanted.canary() == null
            ? null
            : loadedOrLoad(before, model, wanted.canary(), "traffic split");
    Loaded shadow =
        wanted.shadow() == null
            ? null
            : loadedOrLoad(before, model, wanted.shadow(), "traffic split's shadow");
    Loaded champion = loadedOrLoad(before, model, wanted.champion(), "champion alias");
    return new Routing(champion, canary, wanted.canaryPercent(), shadow, wanted.shadowPercent());
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
    if (before.shadow() != null && before.shadow().version() == version) {
      return Optional.of(before.shadow());
    }
    return Optional.empty();
  }

  private Loaded load(ModelVersion version) {
    ModelLoader.Loaded loaded = loader.load(version);
    return new Loaded(
        version.model(),
        version.version(),
        loaded.bundle(),
        loaded.schema(),
        registered(version.createdAt()));
  }

  /** An entry's registration time; null if it had none readable (the registry writes one). */
  private static Instant registered(String createdAt) {
    try {
      return createdAt == null ? null : Instant.parse(createdAt);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
