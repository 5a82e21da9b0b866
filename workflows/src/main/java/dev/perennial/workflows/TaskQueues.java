package dev.perennial.workflows;

/**
 * The task queues Perennial's workers poll. Named once here so the worker configuration, the
 * activity options and the command line cannot drift apart.
 */
public final class TaskQueues {
  /** Pipeline workflows plus the light activities (datasets, registry). */
  public static final String PIPELINES = "perennial-pipelines";

  /** Heavy activities (training, evaluation), served by workers with bounded concurrency. */
  public static final String TRAINING = "perennial-training";

  private TaskQueues() {}
}
