package dev.perennial.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.dev.s3.EmbeddedS3Server;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
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
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;

/** The worker application against an embedded S3 and a port-bound Temporal test server. */
class WorkerApplicationTest {
  @TempDir static Path dir;
  static EmbeddedS3Server s3;
  static TestServer.PortBoundTestServer temporal;
  static ConfigurableApplicationContext worker;
  static int temporalPort;
  static int httpPort;

  @BeforeAll
  static void start() throws Exception {
    s3 = EmbeddedS3Server.start(dir.resolve("s3"), 0, "test-access", "test-secret-key-123");
    temporalPort = freePort();
    httpPort = freePort();
    temporal = TestServer.createPortBoundServer(temporalPort, true);
    Map<String, Object> props = new HashMap<>();
    props.put("spring.temporal.connection.target", "127.0.0.1:" + temporalPort);
    props.put("perennial.s3.endpoint", s3.endpoint());
    props.put("perennial.s3.access-key", "test-access");
    props.put("perennial.s3.secret-key", "test-secret-key-123");
    props.put("server.port", httpPort);
    worker = WorkerApplication.start(props);
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (temporal != null) {
      temporal.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void configuredTaskQueuesAreTheOnesTheWorkflowsUse() {
    List<String> queues =
        Binder.get(worker.getEnvironment())
            .bind("spring.temporal.workers", Bindable.listOf(Map.class))
            .get()
            .stream()
            .map(m -> (String) m.get("task-queue"))
            .toList();
    assertThat(queues).containsExactly(TaskQueues.PIPELINES, TaskQueues.TRAINING);
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
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (registry.getMeters().stream().noneMatch(m -> m.getId().getName().startsWith("temporal"))
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(registry.getMeters())
        .anySatisfy(m -> assertThat(m.getId().getName()).startsWith("temporal"));

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

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
