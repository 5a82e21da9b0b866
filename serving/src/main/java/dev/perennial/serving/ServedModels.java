package dev.perennial.serving;

import dev.perennial.activities.data.FeatureSchema;
import dev.perennial.activities.dataset.SnapshotReader;
import dev.perennial.activities.registry.ModelRegistry;
import dev.perennial.activities.store.ObjectStore;
import dev.perennial.activities.training.ModelBundle;
import dev.perennial.activities.training.ModelCodec;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The version each model serves: its champion, loaded from S3 (SHA-256 checked, allowlisted
 * deserialization) before it replaces the previous one. Requests read an immutable snapshot, so a
 * swap never drops one in flight.
 */
final class ServedModels {
  private static final Logger log = LoggerFactory.getLogger(ServedModels.class);

  /** A loaded version: what a request needs to score rows. */
  record Loaded(String model, int version, ModelBundle bundle, FeatureSchema schema) {}

  private final ModelRegistry registry;
  private final SnapshotReader reader;
  private final Map<String, Loaded> served = new ConcurrentHashMap<>();

  ServedModels(ModelRegistry registry, ObjectStore store) {
    this.registry = registry;
    this.reader = new SnapshotReader(store);
  }

  /** The model's served version, loading the champion on first use; empty without a champion. */
  Optional<Loaded> current(String model) {
    Loaded loaded = served.get(model);
    if (loaded != null) {
      return Optional.of(loaded);
    }
    ModelVersion champion = registry.findAlias(model, Aliases.CHAMPION);
    if (champion == null) {
      return Optional.empty();
    }
    return Optional.of(served.computeIfAbsent(model, m -> load(champion)));
  }

  /** Reads every served model's champion and swaps in the ones that changed. */
  void refresh() {
    for (String model : served.keySet()) {
      try {
        ModelVersion champion = registry.findAlias(model, Aliases.CHAMPION);
        Loaded now = served.get(model);
        if (champion != null && (now == null || now.version() != champion.version())) {
          Loaded next = load(champion);
          served.put(model, next);
          log.info(
              "{}: now serving v{} (was v{})",
              model,
              next.version(),
              now == null ? "-" : now.version());
        }
      } catch (RuntimeException e) {
        // S3 or a bad artifact: keep serving what is loaded and try again on the next tick.
        log.warn("{}: could not refresh the served version: {}", model, e.toString());
      }
    }
  }

  private Loaded load(ModelVersion version) {
    var model = version.artifacts().model();
    byte[] bytes = reader.readVerified(model);
    ModelBundle bundle = ModelCodec.deserialize(bytes, model);
    FeatureSchema schema =
        FeatureSchema.fromJson(reader.readVerified(version.artifacts().featureSchema()));
    return new Loaded(version.model(), version.version(), bundle, schema);
  }
}
