package dev.perennial.worker;

import dev.perennial.dev.s3.EmbeddedS3Server;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An embedded S3 and a port-bound Temporal test server for one worker at a time: a second worker
 * polling the same queues would take some of the first one's tasks.
 */
public final class TestServers implements AutoCloseable {
  final EmbeddedS3Server s3;
  final TestServer.PortBoundTestServer temporal;
  final int temporalPort;

  public TestServers(Path dir) throws Exception {
    s3 = EmbeddedS3Server.start(dir.resolve("s3"), 0, "test-access", "test-secret-key-123");
    temporalPort = freePort();
    temporal = TestServer.createPortBoundServer(temporalPort, true);
  }

  /** What a worker needs to reach these servers, on a free HTTP port. */
  public Map<String, Object> workerProperties() throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put("spring.temporal.connection.target", "127.0.0.1:" + temporalPort);
    props.put("perennial.s3.endpoint", s3.endpoint());
    props.put("perennial.s3.access-key", "test-access");
    props.put("perennial.s3.secret-key", "test-secret-key-123");
    props.put("server.port", freePort());
    return props;
  }

  WorkflowServiceStubs service() {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build());
  }

  /** Runs workflow {@code type} on {@code taskQueue} for {@code model} and waits for its result. */
  public ContinuousTrainingResult run(String type, String taskQueue, String model)
      throws Exception {
    WorkflowServiceStubs service = service();
    try {
      WorkflowStub stub =
          WorkflowClient.newInstance(service)
              .newUntypedWorkflowStub(
                  type,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(type + "-" + model)
                      .setTaskQueue(taskQueue)
                      .build());
      stub.start(ContinuousTrainingRequest.of(model));
      return stub.getResult(20, TimeUnit.SECONDS, ContinuousTrainingResult.class);
    } finally {
      service.shutdown();
    }
  }

  public static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    try {
      temporal.close();
    } finally {
      s3.close();
    }
  }
}
