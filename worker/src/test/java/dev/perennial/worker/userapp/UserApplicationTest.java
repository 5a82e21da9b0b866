package dev.perennial.worker.userapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.worker.PerennialWorkers;
import dev.perennial.worker.TestServers;
import dev.perennial.worker.testpipeline.GreetingPipeline;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A user's application gets Perennial's workers from the auto-configuration alone, and the Temporal
 * starter's auto-discovery adds to the same pipelines worker. It reads no application.yaml (the
 * stock worker's is on this class path): only the connection settings below.
 */
class UserApplicationTest {
  @TempDir static Path dir;
  static TestServers servers;
  static ConfigurableApplicationContext app;

  @BeforeAll
  static void start() throws Exception {
    servers = new TestServers(dir);
    Map<String, Object> props = servers.workerProperties();
    props.put("spring.config.name", "user-application");
    props.put(
        "spring.temporal.workers-auto-discovery.workflow-packages",
        UserApplication.class.getPackageName());
    String[] args =
        props.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    app = new SpringApplicationBuilder(UserApplication.class).registerShutdownHook(false).run(args);
  }

  @AfterAll
  static void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    servers.close();
  }

  @Test
  void theAutoConfigurationBringsBothWorkersAndEveryPipeline() {
    WorkerFactory factory = app.getBean(WorkerFactory.class);
    assertThat(factory.tryGetWorker(TaskQueues.PIPELINES)).isNotNull();
    assertThat(factory.tryGetWorker(TaskQueues.TRAINING)).isNotNull();
    assertThat(app.getBean(PerennialWorkers.class).pipelines())
        .extracting(PerennialWorkers.Pipeline::type)
        .contains(
            ContinuousTrainingWorkflow.TYPE,
            CanaryRolloutWorkflow.TYPE,
            GreetingPipeline.TYPE,
            ScannedPipeline.TYPE);
  }

  @Test
  void aPipelineDeclaredBothWaysIsRegisteredOnce() {
    assertThat(app.getBean(PerennialWorkers.class).pipelines())
        .filteredOn(p -> p.type().equals(ScannedPipeline.TYPE))
        .singleElement()
        .extracting(PerennialWorkers.Pipeline::source)
        .isEqualTo("spring.temporal");
  }

  @Test
  void servicesFilePipelinesAndAutoDiscoveredOnesRunSideBySide() throws Exception {
    assertThat(servers.run(GreetingPipeline.TYPE, TaskQueues.PIPELINES, "user-app").outcome())
        .isEqualTo(Outcome.REJECTED);
    var scanned = servers.run(ScannedPipeline.TYPE, TaskQueues.PIPELINES, "user-app");
    assertThat(scanned.message()).isEqualTo("hello from auto-discovery, user-app");
  }
}
