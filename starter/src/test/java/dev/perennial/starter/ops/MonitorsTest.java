package dev.perennial.starter.ops;

import static dev.perennial.starter.ops.CannedDriftMonitor.ID;
import static dev.perennial.starter.ops.CannedDriftMonitor.MODEL;
import static dev.perennial.starter.ops.CannedDriftMonitor.TWO_CHECKS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.ops.Monitors.AlreadyRunning;
import dev.perennial.starter.ops.Monitors.Asked;
import dev.perennial.starter.ops.Monitors.MissingSearchAttribute;
import dev.perennial.starter.ops.Monitors.Monitor;
import dev.perennial.starter.ops.Monitors.NotRunning;
import dev.perennial.starter.ops.Monitors.Refused;
import dev.perennial.starter.ops.Monitors.Started;
import dev.perennial.starter.ops.Monitors.Stopped;
import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftMonitorResult;
import dev.perennial.workflows.drift.DriftPolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Monitors} against Temporal's test server with a canned DriftMonitor: every result. */
class MonitorsTest {
  @RegisterExtension final CannedMonitorServer server = new CannedMonitorServer();
  WorkflowClient client;

  @BeforeEach
  void up() {
    client = server.client();
  }

  @Test
  void startFindCheckNowStopStartAgain() {
    DriftPolicy policy = DriftPolicy.builder().interval("15m").minRows(1000).build();
    DriftMonitorRequest request = new DriftMonitorRequest(MODEL, policy, null, null);

    Monitors.StartResult start = Monitors.start(client, request);

    String run = server.runId();
    assertThat(start).isEqualTo(new Started(ID, run, policy.withDefaults()));
    assertThat(
            client
                .newUntypedWorkflowStub(ID)
                .describe()
                .getTypedSearchAttributes()
                .get(PerennialSearchAttributes.MODEL))
        .isEqualTo(MODEL);
    assertThat(Monitors.start(client, DriftMonitorRequest.of(MODEL)))
        .isEqualTo(new AlreadyRunning(run));

    Monitor running = Monitors.find(client, MODEL).orElseThrow();
    assertThat(running.running()).isTrue();
    assertThat(running.state()).isEqualTo("RUNNING");
    assertThat(running.runId()).isEqualTo(run);
    assertThat(running.status().policy()).isEqualTo(policy.withDefaults());
    assertThat(running.drift()).isEqualTo(TWO_CHECKS);
    assertThat(running.result()).isNull();

    assertThat(Monitors.checkNow(client, MODEL, new Instruction("alice", "new data")))
        .isEqualTo(new Asked(ID));
    assertThat(Monitors.find(client, MODEL).orElseThrow().status().message())
        .isEqualTo("measuring: new data (by alice)");
    assertThat(Monitors.checkNow(client, MODEL, new Instruction("bob", "again")))
        .isEqualTo(new Refused("a check is already asked for: new data (by alice)"));

    assertThat(Monitors.stop(client, MODEL, "retiring the model", Duration.ofSeconds(30)))
        .isEqualTo(
            new Stopped(ID, new DriftMonitorResult(MODEL, TWO_CHECKS, "retiring the model")));

    Monitor stopped = Monitors.find(client, MODEL).orElseThrow();
    assertThat(stopped.running()).isFalse();
    assertThat(stopped.state()).isEqualTo("COMPLETED");
    assertThat(stopped.status()).isNull();
    assertThat(stopped.result().reason()).isEqualTo("retiring the model");
    assertThat(stopped.drift()).isEqualTo(TWO_CHECKS);

    NotRunning notRunning =
        new NotRunning(
            MODEL,
            new Monitor(
                ID,
                run,
                WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
                null,
                null,
                null));
    assertThat(Monitors.stop(client, MODEL, "again", Duration.ofSeconds(30))).isEqualTo(notRunning);
    assertThat(Monitors.checkNow(client, MODEL, new Instruction("alice", "x")))
        .isEqualTo(notRunning);

    Monitors.StartResult restart = Monitors.start(client, DriftMonitorRequest.of(MODEL));
    assertThat(restart).isEqualTo(new Started(ID, server.runId(), DriftPolicy.defaults()));
    assertThat(server.runId()).isNotEqualTo(run);
  }

  @Test
  void withoutAnyMonitorNothingIsFoundOrSent() {
    assertThat(Monitors.find(client, "nothing-here")).isEmpty();
    NotRunning none = new NotRunning("nothing-here", null);
    assertThat(Monitors.stop(client, "nothing-here", "x", Duration.ofSeconds(1))).isEqualTo(none);
    assertThat(Monitors.checkNow(client, "nothing-here", new Instruction("alice", "x")))
        .isEqualTo(none);
  }

  @Test
  void aNamespaceWithoutTheModelSearchAttributeStartsNothing() {
    try (TestWorkflowEnvironment bare = TestWorkflowEnvironment.newInstance()) {
      bare.newWorker(TaskQueues.PIPELINES)
          .registerWorkflowImplementationTypes(CannedDriftMonitor.class);
      bare.start();

      assertThat(Monitors.start(bare.getWorkflowClient(), DriftMonitorRequest.of(MODEL)))
          .isEqualTo(new MissingSearchAttribute(PerennialSearchAttributes.MODEL.getName()));
      assertThat(Monitors.find(bare.getWorkflowClient(), MODEL)).isEmpty();
    }
  }
}
