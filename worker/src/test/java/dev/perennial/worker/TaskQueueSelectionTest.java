package dev.perennial.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.TaskQueues;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code perennial.task-queues}: a worker polls only the queues it names, so pipelines and training
 * are scaled in processes of their own (the Helm chart's two worker deployments).
 */
class TaskQueueSelectionTest {
  @TempDir static Path dir;
  static TestServers servers;

  @BeforeAll
  static void start() throws Exception {
    servers = new TestServers(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    servers.close();
  }

  @Test
  void aTrainingWorkerPollsOnlyTheTrainingQueue() throws Exception {
    try (ConfigurableApplicationContext worker = start(TaskQueues.TRAINING)) {
      WorkerFactory factory = worker.getBean(WorkerFactory.class);
      assertThat(factory.tryGetWorker(TaskQueues.TRAINING)).isNotNull();
      assertThat(factory.tryGetWorker(TaskQueues.PIPELINES)).isNull();
      assertThat(worker.getBean(PerennialWorkers.class).pipelines()).isEmpty();
    }
  }

  @Test
  void aPipelinesWorkerPollsOnlyThePipelinesQueue() throws Exception {
    try (ConfigurableApplicationContext worker = start(" " + TaskQueues.PIPELINES + " ")) {
      WorkerFactory factory = worker.getBean(WorkerFactory.class);
      assertThat(factory.tryGetWorker(TaskQueues.PIPELINES)).isNotNull();
      assertThat(factory.tryGetWorker(TaskQueues.TRAINING)).isNull();
      assertThat(worker.getBean(PerennialWorkers.class).pipelines())
          .extracting(PerennialWorkers.Pipeline::type)
          .contains("ContinuousTraining", "CanaryRollout");
    }
  }

  @Test
  void anUnknownQueueStopsStartUpNamingTheSettingAndTheQueues() {
    assertThatThrownBy(() -> start(TaskQueues.PIPELINES + ",perennial-trainnig").close())
        .rootCause()
        .hasMessageContaining("perennial.task-queues (PERENNIAL_TASK_QUEUES)")
        .hasMessageContaining("'perennial-trainnig'")
        .hasMessageContaining(TaskQueues.PIPELINES + ", " + TaskQueues.TRAINING);
  }

  private static ConfigurableApplicationContext start(String queues) throws Exception {
    Map<String, Object> props = servers.workerProperties();
    props.put("perennial.task-queues", queues);
    return WorkerApplication.start(props);
  }
}
