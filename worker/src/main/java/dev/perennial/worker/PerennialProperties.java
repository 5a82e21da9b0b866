package dev.perennial.worker;

import dev.perennial.core.store.S3Settings;
import dev.perennial.workflows.TaskQueues;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker's own settings ({@code perennial.*}). Their defaults, and the environment variables
 * that set them, are in {@code META-INF/perennial/worker-defaults.properties}, so an application
 * built on the auto-configuration reads the same {@code PERENNIAL_*} variables as the stock worker.
 *
 * @param artifactBucket bucket for manifests, models, reports and the registry
 * @param s3 the S3-compatible endpoint and its credentials
 * @param plugins directories or jars of users' pipelines and trainers, separated like a class path
 *     (read before the application context starts, see {@link PluginsEnvironmentPostProcessor})
 * @param trainingConcurrency trainings (and evaluations) at once on this worker's training queue
 * @param taskQueues the task queues this worker polls: {@code perennial-pipelines}, {@code
 *     perennial-training} or both (the default), so pipelines and training can run in processes
 *     scaled apart
 */
@ConfigurationProperties("perennial")
public record PerennialProperties(
    String artifactBucket,
    S3 s3,
    String plugins,
    int trainingConcurrency,
    List<String> taskQueues) {

  private static final List<String> KNOWN = List.of(TaskQueues.PIPELINES, TaskQueues.TRAINING);

  public PerennialProperties {
    taskQueues = taskQueues == null ? KNOWN : taskQueues.stream().map(String::strip).toList();
    if (taskQueues.isEmpty()) {
      throw new IllegalArgumentException(
          "perennial.task-queues (PERENNIAL_TASK_QUEUES) is empty: name "
              + String.join(", ", KNOWN)
              + " or both, separated by a comma");
    }
    for (String queue : taskQueues) {
      if (!KNOWN.contains(queue)) {
        throw new IllegalArgumentException(
            "perennial.task-queues (PERENNIAL_TASK_QUEUES) names '"
                + queue
                + "', which is no task queue of Perennial's: use "
                + String.join(", ", KNOWN)
                + " or both, separated by a comma");
      }
    }
  }

  /** Whether this worker polls {@code taskQueue}. */
  boolean polls(String taskQueue) {
    return taskQueues.contains(taskQueue);
  }

  /**
   * S3 connection; credentials must be supplied by the environment.
   *
   * @param serializeWritesPerKey serialize writes per key inside this worker: only for S3 servers
   *     whose {@code If-Match} is not atomic (S3Proxy, the embedded stack) and only when this
   *     worker is the sole writer of the artifact bucket
   */
  public record S3(
      String endpoint,
      String region,
      String accessKey,
      String secretKey,
      boolean serializeWritesPerKey) {

    S3Settings toSettings() {
      return S3Settings.configured(endpoint, accessKey, secretKey, region);
    }
  }
}
