package dev.perennial.core.training;

import dev.perennial.core.BuildInfo;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.cache.CacheQuery;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Computes the step cache's {@link CacheKey} of a run as this worker would train it: the snapshot's
 * content hash, the options as the trainer resolves them (so an option left at its default and the
 * same value given explicitly make one key), and the trainer's {@link Trainer#version()} with
 * Perennial's build ({@link BuildInfo#codeVersion()}).
 */
public final class CacheKeys {
  private final Trainers trainers;
  private final String perennialVersion;

  /** Keys for runs trained with {@code trainers} by this build of Perennial. */
  public CacheKeys(Trainers trainers) {
    this(trainers, BuildInfo.codeVersion());
  }

  /** Keys for runs trained with {@code trainers} by Perennial {@code perennialVersion}. */
  public CacheKeys(Trainers trainers, String perennialVersion) {
    this.trainers = Objects.requireNonNull(trainers, "trainers");
    this.perennialVersion = Objects.requireNonNull(perennialVersion, "perennialVersion");
  }

  /**
   * The key of {@code query}.
   *
   * @throws IllegalArgumentException when the query lacks its snapshot or hyperparameters, or names
   *     a trainer this worker does not have, or options it refuses (as training would)
   */
  public CacheKey of(CacheQuery query) {
    if (query == null || query.snapshot() == null || query.snapshot().datasetVersion() == null) {
      throw new IllegalArgumentException(
          "Invalid cache query: it needs the snapshot the run trains on");
    }
    if (query.hyperparameters() == null) {
      throw new IllegalArgumentException(
          "Invalid cache query: it needs the hyperparameters the run trains with");
    }
    Trainers.Prepared<?> prepared = trainers.prepare(query.hyperparameters());
    Properties resolved = prepared.options().toProperties();
    Map<String, String> options = new TreeMap<>();
    resolved.stringPropertyNames().forEach(k -> options.put(k, resolved.getProperty(k)));
    Trainer<?> trainer = prepared.trainer();
    return CacheKey.of(
        query.snapshot().datasetVersion(),
        CacheKey.options(query.holdoutDays(), prepared.hyperparameters(), options, query.search()),
        trainer.name() + " " + trainer.version() + "; perennial " + perennialVersion);
  }
}
