package dev.perennial.starter.demo;

import static dev.perennial.starter.demo.DemoPlan.DRIFT;
import static dev.perennial.starter.demo.DemoPlan.DRIFT_DAY;
import static dev.perennial.starter.demo.DemoPlan.DRIFT_DAYS;
import static dev.perennial.starter.demo.DemoPlan.DRIFT_INTERVAL;
import static dev.perennial.starter.demo.DemoPlan.FIRST_DAY;

import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.traffic.TrafficGenerator;
import dev.perennial.starter.cli.DriftOutput;
import dev.perennial.starter.cli.RunOutput;
import dev.perennial.starter.cli.monitor.MonitorOutput;
import dev.perennial.starter.ops.DriftReports;
import dev.perennial.starter.ops.Monitors;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Predicate;

/**
 * Steps 9 to 12 of the demo: a drift monitor watches v1's traffic; the world drifts; the monitor
 * notices, starts one retraining by itself, and the new version goes through the gate and the
 * canary; then the monitor measures against the new champion.
 */
final class DriftAct {
  private final Demo demo;
  private final TrafficGenerator traffic;
  private final PrintWriter out;

  DriftAct(Demo demo, TrafficGenerator traffic) {
    this.demo = demo;
    this.traffic = traffic;
    this.out = demo.out();
  }

  void run() throws InterruptedException {
    String model = demo.model();
    demo.step(
        "9. A drift monitor starts: every "
            + DRIFT_INTERVAL
            + " it compares the served features with v1's training data (PSI, KS, chi-square)"
            + " and v1's online log loss with its evaluation");
    DriftMonitorRequest monitor = DemoPlan.monitor(model);
    Monitors.StartResult started = Monitors.start(demo.client(), monitor);
    MonitorOutput.start(
        started,
        monitor,
        demo.endpoints().uiAddress(),
        demo.client().getOptions().getNamespace(),
        out);
    if (!(started instanceof Monitors.Started)) {
      throw new IllegalStateException("could not start the drift monitor");
    }
    DriftCheck calm = awaitCheck(c -> c.verdict() != null);
    out.printf("   check at %s: %s, %s%n", calm.at(), calm.verdict(), calm.reasons());

    demo.step(
        "10. The world drifts: from day "
            + (DRIFT_DAY + 1)
            + " borrowers earn less, use more credit and ask for more, and who defaults changes;"
            + " "
            + DRIFT_DAYS
            + " new days of data arrive and the users come from the new world");
    LocalDate from = FIRST_DAY.plusDays(DRIFT_DAY);
    new CreditDefaultGenerator()
        .generate(
            demo.store(),
            DatasetSpec.DEFAULT_BUCKET,
            model + "/",
            new GeneratorSpec(
                demo.seed(), from, DRIFT_DAYS, demo.rowsPerDay(), from, DRIFT, DRIFT, 0));
    LocalDate usersDay = FIRST_DAY.plusDays(40);
    traffic.switchTo(
        TrafficGenerator.rows(
            new GeneratorSpec(
                demo.seed() + 3, usersDay, 1, demo.rowsPerDay(), usersDay, DRIFT, DRIFT, 0)));
    DriftCheck breach =
        awaitCheck(c -> c.action() != null && c.action().startsWith("started retraining"));
    out.printf("   the monitor saw it at %s and %s%n", breach.at(), breach.action());
    DriftOutput.print(
        model, DriftReports.checks(demo.client(), model, demo.store()), false, uri -> null, out);

    demo.step(
        "11. The drift-triggered run (trigger DRIFT, the report attached) trains on the new days;"
            + " its candidate must still pass the gate against v1 and earn its traffic in a"
            + " canary");
    ContinuousTrainingResult result =
        RunOutput.follow(demo.client(), ContinuousTrainingWorkflow.workflowId(model), out);
    RunOutput.printResult(result, out);
    if (result.outcome() != Outcome.PROMOTED) {
      throw new IllegalStateException(
          "the drift-triggered candidate was not promoted: " + result.message());
    }
    int promoted = result.version();
    demo.awaitAnswers(traffic, promoted);

    demo.step(
        "12. The monitor now compares with v"
            + promoted
            + "'s training data: the new world is its normal");
    DriftCheck settled =
        awaitCheck(c -> c.verdict() != null && c.champion() != null && c.champion() == promoted);
    out.printf("   check at %s: %s, %s%n", settled.at(), settled.verdict(), settled.reasons());
    Monitors.Monitor m = Monitors.find(demo.client(), model).orElseThrow();
    out.printf(
        "   retraining runs the monitor started: %d (later breaches: %s)%n",
        m.drift().retrainings(),
        m.drift().recent().stream()
            .map(DriftCheck::action)
            .filter(a -> a != null && !a.startsWith("started") && !a.equals("none"))
            .distinct()
            .toList());
    MonitorOutput.stop(
        Monitors.stop(demo.client(), model, "demo finished", Monitors.STOP_WAIT), model, out);
  }

  /** Waits (at most 3 minutes) for a check of the model's monitor that {@code wanted} accepts. */
  private DriftCheck awaitCheck(Predicate<DriftCheck> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      var m = Monitors.find(demo.client(), demo.model());
      if (m.isPresent() && m.get().drift() != null && m.get().drift().recent() != null) {
        List<DriftCheck> recent = m.get().drift().recent();
        for (int i = recent.size() - 1; i >= 0; i--) {
          if (wanted.test(recent.get(i))) {
            return recent.get(i);
          }
        }
      }
      Thread.sleep(500);
    }
    DriftOutput.print(
        demo.model(),
        DriftReports.checks(demo.client(), demo.model(), null),
        true,
        uri -> null,
        out);
    throw new IllegalStateException("the drift monitor did not report as expected within 3 min");
  }
}
