package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftMonitorResult;
import dev.perennial.workflows.drift.DriftMonitorState;
import dev.perennial.workflows.drift.DriftMonitorStatus;
import dev.perennial.workflows.drift.DriftMonitorWorkflow;
import dev.perennial.workflows.drift.DriftPhase;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.drift.DriftVerdict;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code monitor start|status|check-now|stop} and {@code drift} against Temporal's Java test server
 * in-process, with a canned DriftMonitor whose status query answers two fixed checks, so every line
 * the commands print can be compared exactly.
 */
class MonitorCommandsOnTestServerTest {
  static final String MODEL = "credit-default";
  static final String ID = "drift-monitor-credit-default";
  static final String NEXT_CHECK = "2026-03-10T13:00:00Z";

  static final DriftCheck QUIET =
      new DriftCheck(
          "2026-03-10T11:00:00Z",
          3,
          4210,
          DriftVerdict.NO_DRIFT,
          List.of("1 of 20 features drifted (5% < 30%)"),
          List.of("tenure"),
          0.2134,
          null,
          "s3://perennial-artifacts/drift/credit-default/2026-03-10T11:00:00Z/report.html",
          "s3://perennial-artifacts/drift/credit-default/2026-03-10T11:00:00Z/report.json");
  static final DriftCheck BREACH =
      new DriftCheck(
          "2026-03-10T12:00:00Z",
          3,
          4388,
          DriftVerdict.DRIFT,
          List.of("7 of 20 features drifted (35% >= 30%)", "critical feature income drifted"),
          List.of("income", "age", "debt-ratio"),
          0.4127,
          "started retraining continuous-training-credit-default",
          "s3://perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/report.html",
          "s3://perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/report.json");
  static final DriftMonitorState TWO_CHECKS =
      new DriftMonitorState(
          41,
          List.of(QUIET, BREACH),
          1,
          "2026-03-10T12:00:05Z",
          "continuous-training-credit-default/8c1f");

  /** Answers the status query from canned state; models named fresh-* have measured nothing. */
  public static class CannedDriftMonitor implements DriftMonitorWorkflow {
    private DriftMonitorRequest request;
    private String stopReason;
    private String checkNowReason;

    @Override
    public DriftMonitorResult run(DriftMonitorRequest request) {
      this.request = request;
      Workflow.await(() -> stopReason != null);
      return new DriftMonitorResult(request.model(), state(), stopReason);
    }

    @Override
    public DriftMonitorStatus status() {
      DriftPolicy policy =
          request.policy() == null ? DriftPolicy.defaults() : request.policy().withDefaults();
      return new DriftMonitorStatus(
          request.model(),
          policy,
          DriftPhase.WAITING,
          NEXT_CHECK,
          state(),
          checkNowReason == null ? "next check at " + NEXT_CHECK : "measuring: " + checkNowReason);
    }

    @Override
    public void stop(String reason) {
      stopReason = reason;
    }

    @Override
    public void checkNow(String reason) {
      checkNowReason = reason;
    }

    @Override
    public Instruction check(Instruction instruction) {
      checkNowReason = instruction.signed();
      return instruction;
    }

    @Override
    public void validateCheck(Instruction instruction) {}

    private DriftMonitorState state() {
      return request.model().startsWith("fresh-") ? DriftMonitorState.initial() : TWO_CHECKS;
    }
  }

  TestWorkflowEnvironment env;
  WorkflowClient client;

  /** A stand-in for signed links, so the report lines can be compared exactly. */
  final UnaryOperator<String> links = uri -> uri.replace("s3://", "http://s3.test/") + "?signed";

  @BeforeEach
  void up() {
    env = TestWorkflowEnvironment.newInstance();
    env.registerSearchAttribute(
        PerennialSearchAttributes.MODEL.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.newWorker(TaskQueues.PIPELINES)
        .registerWorkflowImplementationTypes(CannedDriftMonitor.class);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void down() {
    env.close();
  }

  record Printed(int code, String out) {}

  static Printed printed(ToIntFunction<PrintWriter> command) {
    StringWriter text = new StringWriter();
    int code = command.applyAsInt(new PrintWriter(text, true));
    return new Printed(code, text.toString());
  }

  private String runId() {
    return client.newUntypedWorkflowStub(ID).describe().getExecution().getRunId();
  }

  @Test
  void startStatusDriftCheckNowStop() {
    DriftMonitorRequest request =
        new DriftMonitorRequest(
            MODEL,
            new DriftPolicy(
                "15m",
                null,
                1000,
                0.25,
                null,
                null,
                null,
                List.of("income", "age"),
                null,
                null,
                null,
                null,
                null),
            null,
            null);

    Printed start =
        printed(out -> MonitorCommand.start(client, request, "http://127.0.0.1:8233", out));

    assertThat(start.code()).isZero();
    String run = runId();
    assertThat(start.out())
        .isEqualTo(
            """
            Started drift-monitor-credit-default (run %s)
              measures:     every 15m over the last 15m of traffic, judged from 1000 rows
              a feature:    drifted at PSI >= 0.25 and test p < 0.01
              breach:       30%% of features drifted; or a critical feature drifted (income, age); \
            or online log loss above the champion's by > 0.1 and > 2 standard errors, from 200 labels
              cooldown:     24h between retraining starts
              Web UI:       http://127.0.0.1:8233/namespaces/default/workflows/drift-monitor-credit-default
              reports:      perennial drift --model credit-default
              state:        perennial monitor status --model credit-default
              stop:         perennial monitor stop --model credit-default
            """
                .formatted(run));
    assertThat(
            client
                .newUntypedWorkflowStub(ID)
                .describe()
                .getTypedSearchAttributes()
                .get(PerennialSearchAttributes.MODEL))
        .isEqualTo(MODEL);

    Printed again =
        printed(out -> MonitorCommand.start(client, DriftMonitorRequest.of(MODEL), null, out));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out())
        .isEqualTo(
            "A monitor for credit-default is already running (run "
                + run
                + "); stop it first with: perennial monitor stop --model credit-default\n");

    Printed status = printed(out -> MonitorCommand.status(client, MODEL, out));
    assertThat(status.code()).isZero();
    assertThat(status.out())
        .isEqualTo(
            """
            Monitor drift-monitor-credit-default (RUNNING, run %s)
              phase:        WAITING — next check at 2026-03-10T13:00:00Z
              measures:     every 15m over the last 15m of traffic, judged from 1000 rows
              a feature:    drifted at PSI >= 0.25 and test p < 0.01
              breach:       30%% of features drifted; or a critical feature drifted (income, age); \
            or online log loss above the champion's by > 0.1 and > 2 standard errors, from 200 labels
              cooldown:     24h between retraining starts
              next check:   2026-03-10T13:00:00Z
              checks:       41, latest DRIFT at 2026-03-10T12:00:00Z
              retrainings:  1 started, latest continuous-training-credit-default/8c1f at \
            2026-03-10T12:00:05Z
            Latest drift report: perennial drift --model credit-default
            """
                .formatted(run));

    Printed drift = printed(out -> DriftCommand.print(client, MODEL, false, links, out));
    assertThat(drift.code()).isZero();
    assertThat(drift.out())
        .isEqualTo(
            """
            Drift of credit-default: latest check at 2026-03-10T12:00:00Z \
            (monitor drift-monitor-credit-default, RUNNING; 41 checks so far)
              window:     the 15m of traffic before 2026-03-10T12:00:00Z
              champion:   v3
              rows:       4388
              verdict:    DRIFT
                          7 of 20 features drifted (35% >= 30%)
                          critical feature income drifted
              drifted:    income, age, debt-ratio (largest PSI 0.413)
              action:     started retraining continuous-training-credit-default
              report:     s3://perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/report.html
                          http://s3.test/perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/report.html?signed (signed, valid 1h)
            Every feature's PSI, tests and histograms, and online quality, are in the report.
            Earlier checks: perennial drift --model credit-default --all
            """);

    Printed table = printed(out -> DriftCommand.print(client, MODEL, true, links, out));
    assertThat(table.code()).isZero();
    assertThat(table.out())
        .isEqualTo(
            """
            Drift checks of credit-default: the latest 2 of 41 (monitor drift-monitor-credit-default, RUNNING)
            at                    verdict   drifted                max PSI  action
            ---------------------------------------------------------------------------------------------------------------------
            2026-03-10T11:00:00Z  NO_DRIFT  tenure                 0.213    -
            2026-03-10T12:00:00Z  DRIFT     income,age,debt-ratio  0.413    started retraining continuous-training-credit-default
            latest report: s3://perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/report.html
                           http://s3.test/perennial-artifacts/drift/credit-default/2026-03-10T12:00:00Z/report.html?signed (signed, valid 1h)
            """);

    Printed checkNow = printed(out -> MonitorCommand.checkNow(client, MODEL, out));
    assertThat(checkNow.code()).isZero();
    assertThat(checkNow.out())
        .isEqualTo(
            "Asked drift-monitor-credit-default to measure now. See the result with: perennial"
                + " drift --model credit-default\n");
    assertThat(printed(out -> MonitorCommand.status(client, MODEL, out)).out())
        .contains(
            "  phase:        WAITING — measuring: asked from the command line (by "
                + PerennialCommand.user()
                + ")\n");

    Printed stop =
        printed(
            out ->
                MonitorCommand.stop(
                    client, MODEL, "retiring the model", Duration.ofSeconds(30), out));
    assertThat(stop.code()).isZero();
    assertThat(stop.out())
        .isEqualTo(
            """
            Stopped drift-monitor-credit-default: retiring the model
              checks:       41, latest DRIFT at 2026-03-10T12:00:00Z
              retrainings:  1 started, latest continuous-training-credit-default/8c1f at \
            2026-03-10T12:00:05Z
            """);

    Printed stopped = printed(out -> MonitorCommand.status(client, MODEL, out));
    assertThat(stopped.code()).isZero();
    assertThat(stopped.out())
        .isEqualTo(
            """
            Monitor drift-monitor-credit-default (COMPLETED, run %s)
              phase:        STOPPED — retiring the model
              checks:       41, latest DRIFT at 2026-03-10T12:00:00Z
              retrainings:  1 started, latest continuous-training-credit-default/8c1f at \
            2026-03-10T12:00:05Z
            Start a new one with: perennial monitor start --model credit-default
            """
                .formatted(run));

    Printed afterwards = printed(out -> DriftCommand.print(client, MODEL, false, links, out));
    assertThat(afterwards.code()).isZero();
    assertThat(afterwards.out())
        .startsWith(
            """
            Drift of credit-default: latest check at 2026-03-10T12:00:00Z \
            (monitor drift-monitor-credit-default, COMPLETED; 41 checks so far)
              window:     ending 2026-03-10T12:00:00Z
              champion:   v3
            """)
        .contains("  verdict:    DRIFT\n");

    String notRunning =
        "No drift monitor for credit-default is running (the last one, run "
            + run
            + ", is COMPLETED). Start one with: perennial monitor start --model credit-default\n";
    Printed stopAgain =
        printed(out -> MonitorCommand.stop(client, MODEL, "again", Duration.ofSeconds(30), out));
    assertThat(stopAgain.code()).isEqualTo(1);
    assertThat(stopAgain.out()).isEqualTo(notRunning);
    Printed checkStopped = printed(out -> MonitorCommand.checkNow(client, MODEL, out));
    assertThat(checkStopped.code()).isEqualTo(1);
    assertThat(checkStopped.out()).isEqualTo(notRunning);

    Printed restart =
        printed(out -> MonitorCommand.start(client, DriftMonitorRequest.of(MODEL), null, out));
    assertThat(restart.code()).as(restart.out()).isZero();
    assertThat(restart.out())
        .startsWith("Started drift-monitor-credit-default (run " + runId() + ")\n")
        .contains(
            "  measures:     every 1h over the last 1h of traffic, judged from 500 rows\n",
            "  Web UI:       workflow id drift-monitor-credit-default in namespace default (or"
                + " filter PerennialModel=\"credit-default\")\n");
    assertThat(runId()).isNotEqualTo(run);
  }

  @Test
  void aFreshMonitorSaysWhenItsFirstCheckIsDue() {
    assertThat(
            printed(
                    out ->
                        MonitorCommand.start(
                            client, DriftMonitorRequest.of("fresh-model"), null, out))
                .code())
        .isZero();

    Printed drift = printed(out -> DriftCommand.print(client, "fresh-model", true, links, out));

    assertThat(drift.code()).isZero();
    assertThat(drift.out())
        .isEqualTo(
            "No drift check of fresh-model yet: its monitor (drift-monitor-fresh-model, RUNNING)"
                + " makes the first at 2026-03-10T13:00:00Z.\n");
    assertThat(printed(out -> MonitorCommand.status(client, "fresh-model", out)).out())
        .contains("  checks:       0\n  retrainings:  none started\n");
  }

  @Test
  void withoutAnyMonitorEveryCommandSaysHowToStartOne() {
    String none =
        "No drift monitor has run for nothing-here. Start one with: perennial monitor start"
            + " --model nothing-here\n";
    List<ToIntFunction<PrintWriter>> commands =
        List.of(
            out -> DriftCommand.print(client, "nothing-here", false, links, out),
            out -> MonitorCommand.status(client, "nothing-here", out),
            out -> MonitorCommand.stop(client, "nothing-here", "x", Duration.ofSeconds(1), out),
            out -> MonitorCommand.checkNow(client, "nothing-here", out));
    for (ToIntFunction<PrintWriter> command : commands) {
      Printed p = printed(command);
      assertThat(p.code()).isEqualTo(1);
      assertThat(p.out()).isEqualTo(none);
    }
  }
}
