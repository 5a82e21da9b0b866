package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.perennial.core.registry.AuditEntry;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.traffic.TrafficGenerator;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.canary.CanaryOutcome;
import dev.perennial.workflows.canary.CanaryPhase;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.canary.CanaryRolloutRequest;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.canary.CanaryStatus;
import dev.perennial.workflows.canary.LowTraffic;
import dev.perennial.workflows.canary.StepReport;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftMonitorResult;
import dev.perennial.workflows.drift.DriftMonitorWorkflow;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.Rollout;
import dev.perennial.workflows.registry.Aliases;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker JVM killed while a canary bakes step 2 is replaced by a new JVM, and the rollout goes on
 * from step 2: no step runs twice, none is skipped, and it ends promoted. A drift monitor running
 * meanwhile keeps its schedule across the restart: it measures on, each window once. The whole
 * stack is real (MinIO, the Temporal dev server, the model server with traffic); only the worker
 * runs in a process of its own, so that it can be killed like a crashed machine.
 *
 * <p>It needs the real servers (skipped without them, required in CI): on Temporal's Java test
 * server the replacement worker never got the run's next task (tried: no progress in 5 minutes),
 * which a test server may do; the dev server hands it over as production does.
 */
@Timeout(600) // A safety net against a hang, not a speed check.
class WorkerRestartCanaryTest {
  private static final String MODEL = "credit-default";
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
  private static final Duration BAKE = Duration.ofSeconds(6);

  /**
   * Thresholds wide enough that small-sample noise cannot end the rollout: this test is about where
   * a restarted worker resumes, not about judging the candidate.
   */
  private static final CanaryPolicy POLICY =
      new CanaryPolicy(
          List.of(25, 50, 100),
          BAKE.toSeconds() + "s",
          20,
          0.2,
          100.0,
          1000.0,
          5.0,
          1.0,
          null,
          false,
          LowTraffic.EXTEND,
          10,
          false,
          null,
          null,
          null,
          null);

  /** Short windows that never breach: this test is about the schedule, not the verdicts. */
  private static final DriftPolicy MONITOR =
      new DriftPolicy("3s", null, 10, null, null, null, 1.0, null, 100.0, null, null, null, 50);

  @TempDir Path dir;
  private final List<Process> workers = new ArrayList<>();

  @Test
  void aKilledWorkerIsReplacedAndTheCanaryResumesAtTheSameStep() throws Exception {
    RealServers.assumeInstalled();
    StringWriter log = new StringWriter();
    PrintWriter out = new PrintWriter(log, true);
    try (DevStack stack =
        DevStack.start(
            dir,
            DevStack.Ports.free(),
            DevStack.External.NONE,
            DevStack.ServerChoice.INSTALLED,
            false,
            out)) {
      CliConnection connection = new CliConnection();
      connection.dataDir = dir;
      connection.use(stack.endpoints());
      try {
        run(stack, connection, out);
      } finally {
        workers.forEach(Process::destroyForcibly);
        connection.close();
      }
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n--- output ---\n" + log + workerLogs(), e);
    }
  }

  private void run(DevStack stack, CliConnection connection, PrintWriter out) throws Exception {
    WorkflowClient client = connection.workflowClient();
    new CreditDefaultGenerator()
        .generate(
            connection.objectStore(),
            DatasetSpec.DEFAULT_BUCKET,
            MODEL + "/",
            GeneratorSpec.clean(11, FIRST_DAY, 8, 1500));

    Process first = startWorker(stack, "first");
    train(client, 5, Rollout.PROMOTE, out);
    train(client, 7, Rollout.CHALLENGER, out);
    ModelRegistry registry = connection.registry();
    assertThat(registry.aliases(MODEL)).containsEntry(Aliases.CHALLENGER, 2);

    List<TrafficGenerator.Row> rows = TrafficGenerator.rows(12, FIRST_DAY.plusDays(20), 1, 2000);
    try (TrafficGenerator traffic =
        new TrafficGenerator(
            stack.endpoints().servingAddress(),
            stack.endpoints().servingApiKey(),
            MODEL,
            rows,
            2,
            25)) {
      CanaryRolloutWorkflow canary =
          client.newWorkflowStub(
              CanaryRolloutWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(CanaryRolloutWorkflow.workflowId(MODEL))
                  .setTaskQueue(TaskQueues.PIPELINES)
                  .build());
      DriftMonitorWorkflow monitor =
          client.newWorkflowStub(
              DriftMonitorWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(DriftMonitorWorkflow.workflowId(MODEL))
                  .setTaskQueue(TaskQueues.PIPELINES)
                  .build());
      WorkflowClient.start(monitor::run, new DriftMonitorRequest(MODEL, MONITOR, null, null));
      WorkflowClient.start(canary::run, new CanaryRolloutRequest(MODEL, 2, POLICY, "test"));

      CanaryStatus beforeKill = awaitStatus(canary, 2, CanaryPhase.BAKING);
      long checksBeforeKill = monitor.status().state().checks();
      assertThat(beforeKill.canaryPercent()).isEqualTo(50);
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("the first worker died").isTrue();
      // A deliberate wait, not for a state: the step-2 timer fires while no worker runs, so the
      // task waits on the server.
      Thread.sleep(BAKE.plusSeconds(2).toMillis());
      startWorker(stack, "second");

      CanaryResult result =
          WorkflowStub.fromTyped(canary).getResult(5, TimeUnit.MINUTES, CanaryResult.class);

      assertThat(result.outcome()).as(result.reason()).isEqualTo(CanaryOutcome.PROMOTED);
      assertThat(result.history())
          .as("every step analysed once, in order")
          .extracting(StepReport::step, StepReport::percent)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, 25),
              org.assertj.core.groups.Tuple.tuple(2, 50),
              org.assertj.core.groups.Tuple.tuple(3, 100));
      // Step 2's window began before the kill: the new worker went on with the same bake.
      assertThat(
              Duration.between(
                  java.time.Instant.parse(result.history().get(1).from()),
                  java.time.Instant.parse(result.history().get(1).to())))
          .isGreaterThan(BAKE.plusSeconds(2));
      assertThat(traffic.failures()).as(String.valueOf(traffic.lastFailure())).isZero();

      // A measurement in flight when the worker died is noticed by its heartbeat timeout (30 s)
      // and measured again by the new worker; then the schedule goes on.
      await("three more measurements after the restart")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> monitor.status().state().checks() >= checksBeforeKill + 3);
      monitor.stop("test done");
      DriftMonitorResult stopped =
          WorkflowStub.fromTyped(monitor).getResult(1, TimeUnit.MINUTES, DriftMonitorResult.class);
      List<String> at = stopped.state().recent().stream().map(DriftCheck::at).toList();
      assertThat(stopped.state().checks())
          .as("checks after the restart: %s", stopped.state())
          .isGreaterThanOrEqualTo(checksBeforeKill + 3);
      assertThat(at).as("each window measured once, in order").isSorted().doesNotHaveDuplicates();
      assertThat(stopped.state().recent())
          .as("measured, not failed, and never a retraining")
          .allSatisfy(c -> assertThat(c.verdict()).isNotNull())
          .allSatisfy(c -> assertThat(c.action()).isEqualTo("none"));
    }
    List<String> shifts =
        registry.audit(MODEL).stream()
            .filter(e -> e.action() == AuditEntry.Action.SET_TRAFFIC)
            .map(e -> e.reason().substring(0, e.reason().indexOf(" % ")))
            .toList();
    assertThat(shifts)
        .as("one traffic shift per step, then back to 0")
        .containsExactly("25", "50", "100", "0");
    assertThat(registry.aliases(MODEL)).containsEntry(Aliases.CHAMPION, 2);
  }

  private static void train(WorkflowClient client, int lastDay, Rollout rollout, PrintWriter out) {
    DatasetSpec days =
        new DatasetSpec(
            null, null, FIRST_DAY.toString(), FIRST_DAY.plusDays(lastDay).toString(), null, null);
    // The gate is lenient: which of two similar models wins on 3000 rows is not the point here.
    GatePolicy gate = new GatePolicy(0.6, 1.0, -0.1, 0.5);
    ContinuousTrainingRequest request =
        new ContinuousTrainingRequest(
            MODEL, Trigger.MANUAL, days, null, null, gate, null, null, "test", rollout, null, null);
    assertThat(RunOutput.train(client, request, true, out)).isZero();
  }

  /** Polls the rollout's status query until it reaches {@code step} in {@code phase}. */
  private static CanaryStatus awaitStatus(CanaryRolloutWorkflow canary, int step, CanaryPhase phase)
      throws InterruptedException {
    return await("the rollout reaching step " + step + " " + phase)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            canary::status,
            status -> {
              assertThat(status.outcome()).as("ended early: %s", status.message()).isNull();
              return status.step() == step && status.phase() == phase;
            });
  }

  /** A worker in a JVM of its own, set up as the stack's in-process worker would be. */
  private Process startWorker(DevStack stack, String name) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.perennial.worker.WorkerApplication");
    for (Map.Entry<String, Object> p : stack.workerProperties().entrySet()) {
      command.add("--" + p.getKey() + "=" + p.getValue());
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker-" + name + ".log").toFile())
            .start();
    workers.add(process);
    return process;
  }

  private String workerLogs() {
    StringBuilder all = new StringBuilder();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("worker-")).toList()) {
        String text = Files.readString(f);
        all.append("\n--- ")
            .append(f.getFileName())
            .append(" ---\n")
            .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
      }
    } catch (java.io.IOException e) {
      all.append("\n(worker logs unreadable: ").append(e).append(')');
    }
    return all.toString();
  }
}
