package dev.perennial.core.registry;

import dev.perennial.core.model.ModelCodec;
import dev.perennial.core.model.ModelLoader;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.workflows.registry.ModelVersion;

/**
 * What the registry checks of a version before the champion or challenger alias, or canary traffic,
 * may name it: that model servers will be able to load it. A registry that moved an alias to a
 * version whose artifact was tampered with would report success while every server kept serving the
 * version before.
 */
@FunctionalInterface
public interface ArtifactCheck {

  /**
   * @throws IntegrityException naming the artifact and what is wrong with it
   */
  void check(ModelVersion version);

  /**
   * Loads the version exactly as a model server does ({@link ModelLoader}): both artifacts against
   * their recorded SHA-256, the bundle through {@code codec}'s allowlist.
   */
  static ArtifactCheck loadable(ObjectStore store, ModelCodec codec) {
    return loadable(new ModelLoader(store, codec));
  }

  /** Loads the version through {@code loader}, e.g. the one a model server serves with. */
  static ArtifactCheck loadable(ModelLoader loader) {
    return loader::load;
  }

  /**
   * Checks nothing: only for tests of the registry's own bookkeeping, whose versions name
   * placeholder artifacts that were never written.
   */
  ArtifactCheck UNCHECKED = version -> {};
}
