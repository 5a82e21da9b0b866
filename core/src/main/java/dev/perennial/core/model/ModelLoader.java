package dev.perennial.core.model;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.workflows.registry.ModelVersion;
import java.util.Objects;

/**
 * Loads a registered version as a server would: its model bundle and its feature schema, each
 * checked against the SHA-256 its manifest recorded, the bundle deserialized through the codec's
 * allowlist. The one way a version is read for serving, and the check the registry makes before an
 * alias or canary traffic may name a version.
 */
public final class ModelLoader {

  /** A version ready to score rows. */
  public record Loaded(ModelVersion version, ModelBundle bundle, FeatureSchema schema) {}

  private final SnapshotReader reader;
  private final ModelCodec codec;

  /** {@code codec} admits the models of the trainers this process has. */
  public ModelLoader(ObjectStore store, ModelCodec codec) {
    this.reader = new SnapshotReader(Objects.requireNonNull(store, "store"));
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /**
   * @throws IntegrityException when an artifact is gone, changed after it was recorded, or holds a
   *     class outside the allowlist
   */
  public Loaded load(ModelVersion version) {
    if (version.artifacts() == null || version.artifacts().model() == null) {
      throw new IntegrityException(
          "model "
              + version.model()
              + " v"
              + version.version()
              + " has no model artifacts recorded");
    }
    var model = version.artifacts().model();
    ModelBundle bundle = codec.deserialize(reader.readVerified(model), model);
    FeatureSchema schema =
        FeatureSchema.fromJson(reader.readVerified(version.artifacts().featureSchema()));
    return new Loaded(version, bundle, schema);
  }
}
