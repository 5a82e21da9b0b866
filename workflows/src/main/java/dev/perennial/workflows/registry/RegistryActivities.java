package dev.perennial.workflows.registry;

import dev.perennial.workflows.cache.CacheLookup;
import dev.perennial.workflows.cache.CacheQuery;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The model registry on S3: versions, aliases, audit log. */
@ActivityInterface
public interface RegistryActivities {

  /**
   * Allocates the next version number and stores its manifest, with an audit entry. Idempotent by
   * {@link RegistrationRequest#idempotencyKey()}; safe when pipelines of one model run at once.
   */
  @ActivityMethod(name = "RegisterModelVersion")
  ModelVersion register(RegistrationRequest request);

  /**
   * The step cache's lookup: the key of what {@code query} is about to train (its data, its options
   * as the worker's trainer resolves them, the trainer's and Perennial's versions), and the
   * registered versions that have the same key. Refuses, non-retryably, a trainer the worker does
   * not have or options it does not take, as training would.
   */
  @ActivityMethod(name = "FindCachedVersion")
  CacheLookup findCached(CacheQuery query);

  /** The version an alias points at, or null when the alias is unset. */
  @ActivityMethod(name = "FindModelAlias")
  ModelVersion findAlias(String model, String alias);

  /**
   * Points an alias at a version (audited). Refuses, non-retryably, unknown versions and rejected
   * versions.
   */
  @ActivityMethod(name = "SetModelAlias")
  void setAlias(AliasChange change);

  /**
   * Sets the champion/canary traffic split the model servers route by (audited). Refuses,
   * non-retryably, unknown and rejected versions.
   */
  @ActivityMethod(name = "SetTrafficSplit")
  void setTrafficSplit(TrafficChange change);

  /**
   * Withdraws an approved version for good (audited): it may take no alias and no traffic again.
   * Idempotent: a version already withdrawn keeps its first reason. Refuses, non-retryably, unknown
   * versions and the current champion (roll back first).
   */
  @ActivityMethod(name = "RejectModelVersion")
  void reject(Rejection rejection);
}
