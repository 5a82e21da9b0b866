package dev.perennial.starter.cli.monitor;

import static dev.perennial.starter.cli.Printed.printed;
import static dev.perennial.starter.ops.CannedDriftMonitor.ID;
import static dev.perennial.starter.ops.CannedDriftMonitor.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.cli.Caller;
import dev.perennial.starter.cli.Printed;
import dev.perennial.starter.ops.CannedMonitorServer;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftPolicy;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code monitor start|status|check-now|stop} against Temporal's Java test server in-process, with
 * a canned DriftMonitor whose status query answers two fixed checks, so every line the commands
 * print can be compared exactly.
 */
class MonitorCommandsOnTestServerTest {
  @RegisterExtension final CannedMonitorServer server = new CannedMonitorServer();
  WorkflowClient client;

  @BeforeEach
  void up() {
    client = server.client();
  }

  @Test
  void startStatusCheckNowStop() {
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
        printed(out -> MonitorStart.start(client, request, "http://127.0.0.1:8233", out));

    assertThat(start.code()).isZero();
    String run = server.runId();
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
        printed(out -> MonitorStart.start(client, DriftMonitorRequest.of(MODEL), null, out));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out())
        .isEqualTo(
            "A monitor for credit-default is already running (run "
                + run
                + "); stop it first with: perennial monitor stop --model credit-default\n");

    Printed status = printed(out -> MonitorStatus.status(client, MODEL, out));
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

    Printed checkNow = printed(out -> MonitorCheckNow.checkNow(client, MODEL, out));
    assertThat(checkNow.code()).isZero();
    assertThat(checkNow.out())
        .isEqualTo(
            "Asked drift-monitor-credit-default to measure now. See the result with: perennial"
                + " drift --model credit-default\n");
    assertThat(printed(out -> MonitorStatus.status(client, MODEL, out)).out())
        .contains(
            "  phase:        WAITING — measuring: asked from the command line (by "
                + Caller.name()
                + ")\n");

    Printed refused = printed(out -> MonitorCheckNow.checkNow(client, MODEL, out));
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.out())
        .isEqualTo(
            "error: a check is already asked for: asked from the command line (by "
                + Caller.name()
                + ")\n");

    Printed stop =
        printed(
            out ->
                MonitorStop.stop(client, MODEL, "retiring the model", Duration.ofSeconds(30), out));
    assertThat(stop.code()).isZero();
    assertThat(stop.out())
        .isEqualTo(
            """
            Stopped drift-monitor-credit-default: retiring the model
              checks:       41, latest DRIFT at 2026-03-10T12:00:00Z
              retrainings:  1 started, latest continuous-training-credit-default/8c1f at \
            2026-03-10T12:00:05Z
            """);

    Printed stopped = printed(out -> MonitorStatus.status(client, MODEL, out));
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

    String notRunning =
        "No drift monitor for credit-default is running (the last one, run "
            + run
            + ", is COMPLETED). Start one with: perennial monitor start --model credit-default\n";
    Printed stopAgain =
        printed(out -> MonitorStop.stop(client, MODEL, "again", Duration.ofSeconds(30), out));
    assertThat(stopAgain.code()).isEqualTo(1);
    assertThat(stopAgain.out()).isEqualTo(notRunning);
    Printed checkStopped = printed(out -> MonitorCheckNow.checkNow(client, MODEL, out));
    assertThat(checkStopped.code()).isEqualTo(1);
    assertThat(checkStopped.out()).isEqualTo(notRunning);

    Printed restart =
        printed(out -> MonitorStart.start(client, DriftMonitorRequest.of(MODEL), null, out));
    assertThat(restart.code()).as(restart.out()).isZero();
    assertThat(restart.out())
        .startsWith("Started drift-monitor-credit-default (run " + server.runId() + ")\n")
        .contains(
            "  measures:     every 1h over the last 1h of traffic, judged from 500 rows\n",
            "  Web UI:       workflow id drift-monitor-credit-default in namespace default (or"
                + " filter PerennialModel=\"credit-default\")\n");
    assertThat(server.runId()).isNotEqualTo(run);
  }

  @Test
  void aFreshMonitorHasNoChecksAndStartedNoRetraining() {
    assertThat(
            printed(
                    out ->
                        MonitorStart.start(
                            client, DriftMonitorRequest.of("fresh-model"), null, out))
                .code())
        .isZero();

    assertThat(printed(out -> MonitorStatus.status(client, "fresh-model", out)).out())
        .contains("  checks:       0\n  retrainings:  none started\n");
  }

  @Test
  void withoutAnyMonitorEveryCommandSaysHowToStartOne() {
    String none =
        "No drift monitor has run for nothing-here. Start one with: perennial monitor start"
            + " --model nothing-here\n";
    List<ToIntFunction<PrintWriter>> commands =
        List.of(
            out -> MonitorStatus.status(client, "nothing-here", out),
            out -> MonitorStop.stop(client, "nothing-here", "x", Duration.ofSeconds(1), out),
            out -> MonitorCheckNow.checkNow(client, "nothing-here", out));
    for (ToIntFunction<PrintWriter> command : commands) {
      Printed p = printed(command);
      assertThat(p.code()).isEqualTo(1);
      assertThat(p.out()).isEqualTo(none);
    }
  }
}
