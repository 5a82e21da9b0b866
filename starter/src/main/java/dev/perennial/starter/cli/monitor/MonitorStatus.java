package dev.perennial.starter.cli.monitor;

import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.Monitors;
import dev.perennial.starter.ops.Monitors.Monitor;
import dev.perennial.workflows.drift.DriftMonitorStatus;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code perennial monitor status}: one screen about the model's monitor. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show the model's drift monitor: policy, phase, next check, checks, retrainings.")
final class MonitorStatus extends MonitorSubcommand {
  @Override
  public Integer call() {
    return withClient(client -> status(client, model, out()));
  }

  /** Prints the model's latest monitor; returns the exit code. */
  static int status(WorkflowClient client, String model, PrintWriter out) {
    Optional<Monitor> found = Monitors.find(client, model);
    if (found.isEmpty()) {
      out.println(MonitorOutput.noMonitor(model));
      out.flush();
      return Exit.FAILED;
    }
    Monitor m = found.get();
    out.printf("Monitor %s (%s, run %s)%n", m.workflowId(), m.state(), m.runId());
    if (m.status() != null) {
      DriftMonitorStatus s = m.status();
      out.printf(
          "  phase:        %s%s%n", s.phase(), s.message() == null ? "" : " — " + s.message());
      MonitorOutput.policy(s.policy(), out);
      if (m.running()) {
        out.printf("  next check:   %s%n", s.nextCheckAt());
      }
      MonitorOutput.counts(s.state(), out);
    } else if (m.result() != null) {
      out.printf("  phase:        STOPPED — %s%n", m.result().reason());
      MonitorOutput.counts(m.result().state(), out);
    } else {
      out.println("  " + MonitorOutput.unanswered(m));
      out.flush();
      return Exit.FAILED;
    }
    if (m.running()) {
      out.printf("Latest drift report: perennial drift --model %s%n", model);
    } else {
      out.printf("Start a new one with: perennial monitor start --model %s%n", model);
    }
    out.flush();
    return 0;
  }
}
