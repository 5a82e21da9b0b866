package dev.perennial.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.perennial.dev.testing.Listening;
import dev.perennial.worker.testpipeline.GreetingPipeline;
import dev.perennial.worker.testpipeline.GreetingPipelineImpl;
import dev.perennial.worker.userapp.ScannedPipeline;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The worker application against an embedded S3 and a port-bound Temporal test server. */
class WorkerApplicationTest {
  @TempDir static Path dir;
  static TestServers servers;
  static ConfigurableApplicationContext worker;
  static int temporalPort;
  static int httpPort;

  @BeforeAll
  static void start() throws Exception {
    servers = new TestServers(dir);
    temporalPort = servers.temporalPort;
    Map<String, Object> props = servers.workerProperties();
    httpPort = (Integer) props.get("server.port");
    worker = WorkerApplication.start(props);
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void workersRunOnTheTaskQueuesTheWorkflowsUse() {
    WorkerFactory factory = worker.getBean(WorkerFactory.class);
    assertThat(factory.tryGetWorker(TaskQueues.PIPELINES)).isNotNull();
    assertThat(factory.tryGetWorker(TaskQueues.TRAINING)).isNotNull();
    assertThat(
            factory
                .tryGetWorker(TaskQueues.TRAINING)
                .getWorkerOptions()
                .getMaxConcurrentActivityExecutionSize())
        .isEqualTo(1);
    assertThat(worker.getBean(PerennialWorkers.class).pipelines())
        .extracting(PerennialWorkers.Pipeline::type)
        .containsExactly(
            ContinuousTrainingWorkflow.TYPE,
            "CanaryRollout",
            "Rollback",
            "DriftMonitor",
            "BatchScoring",
            "DataWatch",
            GreetingPipeline.TYPE,
            ScannedPipeline.TYPE);
  }

  @Test
  void aPipelineDeclaredOnTheClassPathIsRegisteredAndRuns() throws Exception {
    assertThat(worker.getBean(PerennialWorkers.class).userPipelines())
        .first()
        .satisfies(
            p -> {
              assertThat(p.implementation()).isEqualTo(GreetingPipelineImpl.class.getName());
              assertThat(p.source()).endsWith("test-classes/");
            });
    ContinuousTrainingResult result =
        servers.run(GreetingPipeline.TYPE, TaskQueues.PIPELINES, "greeting");
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.message()).isEqualTo("hello from the class path, greeting");
  }

  @Test
  void searchAttributesAreRegisteredAtStartUp() {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + temporalPort)
                .validateAndBuildWithDefaults());
    try {
      for (var key : PerennialSearchAttributes.ALL) {
        // The test server cannot list them; adding one that exists is refused.
        assertThatThrownBy(
                () ->
                    operator
                        .blockingStub()
                        .addSearchAttributes(
                            AddSearchAttributesRequest.newBuilder()
                                .setNamespace("default")
                                .putSearchAttributes(
                                    key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                                .build()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
      }
    } finally {
      operator.shutdown();
    }
  }

  @Test
  void temporalMetricsReachMicrometerAndPrometheus() throws Exception {
    MeterRegistry registry = worker.getBean(MeterRegistry.class);
    // Pollers report as soon as the workers run; wait briefly for the first ones.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(registry.getMeters())
                    .anySatisfy(m -> assertThat(m.getId().getName()).startsWith("temporal")));

    HttpResponse<String> prometheus =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(prometheus.statusCode()).isEqualTo(200);
    assertThat(prometheus.body()).contains("temporal_");

    HttpResponse<String> env =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/env"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(env.statusCode()).as("actuator exposure is an explicit list").isEqualTo(404);
  }

  /** The worker's HTTP port is its management port: actuator only, on loopback by default. */
  @Test
  void theActuatorListensOnLoopbackOnly() {
    assertThat(worker.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
    assertThat(Listening.accepts(InetAddress.getLoopbackAddress(), httpPort)).isTrue();
    Optional<InetAddress> other = Listening.nonLoopbackAddress();
    assumeTrue(other.isPresent(), "this machine has no address other than loopback");
    assertThat(Listening.accepts(other.get(), httpPort)).as("reached at " + other.get()).isFalse();
  }

  @Test
  void malformedInputFromTheUiFailsTheRunInsteadOfRetryingForever() {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + temporalPort)
                .build());
    try {
      WorkflowStub stub =
          WorkflowClient.newInstance(service)
              .newUntypedWorkflowStub(
                  ContinuousTrainingWorkflow.TYPE,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("malformed-input")
                      .setTaskQueue(TaskQueues.PIPELINES)
                      .build());
      stub.start(Map.of("model", "credit-default", "holdoutDays", "two"));
      assertThatThrownBy(() -> stub.getResult(20, TimeUnit.SECONDS, Object.class))
          .isInstanceOf(WorkflowFailedException.class)
          .rootCause()
          .hasMessageContaining("\"holdoutDays\"");
    } finally {
      service.shutdown();
    }
  }
}
