package dev.perennial.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Named activity options, one place for timeouts and retry policies. Transient faults (S3 or a
 * worker down) retry with backoff without limit, so a run waits instead of failing; bad input
 * ({@link FailureTypes}) never retries.
 */
public final class ActivityStubs {

  private static final RetryOptions TRANSIENT =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setDoNotRetry(FailureTypes.NON_RETRYABLE)
          .build();

  /** Dataset snapshot and validation: scans objects, heartbeats per object. */
  public static final ActivityOptions DATASET =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.PIPELINES)
          .setStartToCloseTimeout(Duration.ofHours(1))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(TRANSIENT)
          .build();

  /**
   * Training and evaluation on the heavy queue. The heartbeat timeout is what notices a dead
   * worker: seconds, not the hours a training may take.
   */
  public static final ActivityOptions TRAINING =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.TRAINING)
          .setStartToCloseTimeout(Duration.ofHours(6))
          .setHeartbeatTimeout(Duration.ofSeconds(10))
          .setRetryOptions(TRANSIENT)
          .build();

  /** Registry reads and writes: small objects, quick. */
  public static final ActivityOptions REGISTRY =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.PIPELINES)
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(TRANSIENT)
          .build();

  /**
   * Canary analysis: scans a window of the prediction log, heartbeating per object, so a dead
   * worker is noticed in seconds.
   */
  public static final ActivityOptions ANALYSIS =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.PIPELINES)
          .setStartToCloseTimeout(Duration.ofMinutes(30))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(TRANSIENT)
          .build();

  /**
   * Drift measurement: scans a window of the prediction log against the champion's reference
   * profile and writes the report. Heartbeats per object as the canary analysis does, so a dead
   * worker is noticed in seconds; the start-to-close bound is generous because a long window of a
   * busy model is many objects, and a timed-out attempt would only scan the same objects again.
   */
  public static final ActivityOptions DRIFT =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.PIPELINES)
          .setStartToCloseTimeout(Duration.ofHours(2))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(TRANSIENT)
          .build();

  /**
   * Batch scoring (plan, chunks, manifest) on the heavy queue, beside training. Heartbeats per
   * object while planning and per few thousand rows while scoring; a timed-out chunk is retried and
   * reuses its output if it got as far as writing it.
   */
  public static final ActivityOptions SCORING =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.TRAINING)
          .setStartToCloseTimeout(Duration.ofHours(2))
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setRetryOptions(TRANSIENT)
          .build();

  /**
   * Listing a data prefix's partitions for the data watch: one listing call, names only, quick. No
   * heartbeat: the start-to-close bound notices a dead worker soon enough for a watch that polls
   * every few minutes.
   */
  public static final ActivityOptions LISTING =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.PIPELINES)
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(TRANSIENT)
          .build();

  private ActivityStubs() {}
}
