package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.Printed.printed;
import static dev.perennial.starter.ops.CannedDriftMonitor.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.ops.CannedMonitorServer;
import dev.perennial.starter.ops.Monitors;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftPolicy;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code drift} against Temporal's Java test server in-process, with a canned DriftMonitor whose
 * status query answers two fixed checks, so every line it prints can be compared exactly.
 */
class DriftCommandOnTestServerTest {
  @RegisterExtension final CannedMonitorServer server = new CannedMonitorServer();
  WorkflowClient client;

  /** A stand-in for signed links, so the report lines can be compared exactly. */
  final UnaryOperator<String> links = uri -> uri.replace("s3://", "http://s3.test/") + "?signed";

  @BeforeEach
  void up() {
    client = server.client();
  }

  private Printed drift(String model, boolean all) {
    return printed(out -> DriftCommand.print(client, model, all, null, links, out));
  }

  @Test
  void theLatestCheckThenEveryCheckThenTheStoppedMonitorsChecks() {
    DriftPolicy policy = DriftPolicy.builder().interval("15m").minRows(1000).psi(0.25).build();
    assertThat(Monitors.start(client, new DriftMonitorRequest(MODEL, policy, null, null)))
        .isInstanceOf(Monitors.Started.class);

    Printed drift = drift(MODEL, false);
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

    Printed table = drift(MODEL, true);
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

    assertThat(Monitors.stop(client, MODEL, "retiring the model", Duration.ofSeconds(30)))
        .isInstanceOf(Monitors.Stopped.class);
    Printed afterwards = drift(MODEL, false);
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
  }

  @Test
  void aFreshMonitorSaysWhenItsFirstCheckIsDue() {
    assertThat(Monitors.start(client, DriftMonitorRequest.of("fresh-model")))
        .isInstanceOf(Monitors.Started.class);

    Printed drift = drift("fresh-model", true);

    assertThat(drift.code()).isZero();
    assertThat(drift.out())
        .isEqualTo(
            "No drift check of fresh-model yet: its monitor (drift-monitor-fresh-model, RUNNING)"
                + " makes the first at 2026-03-10T13:00:00Z.\n");
  }

  @Test
  void withoutAnyMonitorItSaysHowToStartOne() {
    Printed p = drift("nothing-here", false);
    assertThat(p.code()).isEqualTo(1);
    assertThat(p.out())
        .isEqualTo(
            "No drift monitor has run for nothing-here. Start one with: perennial monitor start"
                + " --model nothing-here\n");
  }
}
