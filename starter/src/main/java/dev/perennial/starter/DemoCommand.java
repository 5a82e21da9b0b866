package dev.perennial.starter;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.data.BrokenFeed;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.traffic.TrafficGenerator;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.LowTraffic;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.Rollout;
import dev.perennial.workflows.rollback.RollbackRequest;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial demo}: the whole continuous-training loop on the embedded stack. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded stack (with a model server), generate credit-default data, train v1",
      "(champion), send it traffic with labels, retrain (v2 passes the gate and a canary and is",
      "promoted), show a candidate refused by the gate, a candidate trained on corrupted labels",
      "rolled back by its canary, a dataset refused by validation and a manual rollback; then",
      "a drift monitor notices drifted traffic and retrains by itself (gate, canary); print the",
      "registry, stop."
    })
final class DemoCommand implements Callable<Integer> {
  static final String MODEL = "credit-default";
  private static final java.time.format.DateTimeFormatter STAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
  private static final int TRAFFIC_THREADS = 3;
  private static final int TRAFFIC_PER_THREAD = 30;
  private static final String BAKE = "10s";
  private static final String DRIFT_INTERVAL = "10s";

  /** The first drifted day (0-based after {@link #FIRST_DAY}) and how many arrive. */
  private static final int DRIFT_DAY = 12;

  private static final int DRIFT_DAYS = 6;

  /** How far features and the default relationship move (0..1, see GeneratorSpec). */
  private static final double DRIFT = 0.8;

  /**
   * The demo's canary: short bakes for a demo's traffic (90 requests/s), quality judged on the
   * labels that follow every answer, with the default thresholds. A bake sees only a few hundred
   * labels, so differences must exceed 3 standard errors (not the default 2): v2's online log loss
   * sits near v1's, and the demo should not turn on a few unlucky labels; the swapped-label
   * candidate is still many standard errors out. Latency has 25 ms of slack: on a laptop a GC pause
   * would otherwise decide the p99 of a few hundred requests.
   */
  static final CanaryPolicy CANARY =
      new CanaryPolicy(
          List.of(25, 50, 100),
          BAKE,
          100,
          0.02,
          1.5,
          25.0,
          null,
          null,
          100,
          true,
          LowTraffic.EXTEND,
          3,
          false,
          null,
          3.0);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "${PERENNIAL_DATA_DIR:-.perennial}",
      description = "The demo works in <data-dir>/demo, emptied first (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--rows-per-day",
      defaultValue = "4000",
      description = "Rows per daily partition (default: ${DEFAULT-VALUE}).")
  int rowsPerDay;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Data seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    Path dir = dataDir.resolve("demo");
    deleteRecursively(dir);
    DevStack.External external = DevStack.External.fromEnvironment();
    // On a configured (shared, lasting) S3 the demo takes a fresh model name, so it starts with no
    // champion and leaves earlier runs alone; the embedded S3 is the demo's own.
    String model =
        external.s3() == null
            ? MODEL
            : MODEL + "-demo-" + java.time.LocalDateTime.now().format(STAMP);
    out.println("== Perennial demo: continuous training of '" + model + "'");
    try (DevStack stack =
        DevStack.startOnFreePorts(dir, external, DevStack.ServerChoice.AUTO, out)) {
      CliConnection connection = new CliConnection();
      connection.dataDir = dir;
      connection.use(stack.endpoints());
      try {
        run(connection, model, out);
      } finally {
        connection.close();
      }
    }
    out.printf(
        "%nDemo finished in %d s. Run it again any time; its files are in %s%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), dir);
    out.flush();
    return 0;
  }

  private void run(CliConnection connection, String model, PrintWriter out) throws Exception {
    ObjectStore store = connection.objectStore();
    WorkflowClient client = connection.workflowClient();
    CreditDefaultGenerator generator = new CreditDefaultGenerator();
    String bucket = DatasetSpec.DEFAULT_BUCKET;
    String prefix = model + "/";

    step(out, "1. Generate 12 days of data, " + rowsPerDay + " rows a day");
    generator.generate(store, bucket, prefix, GeneratorSpec.clean(seed, FIRST_DAY, 12, rowsPerDay));
    out.printf(
        "   s3://%s/%sdt=%s .. dt=%s (+ _schema.json)%n",
        bucket, prefix, FIRST_DAY, FIRST_DAY.plusDays(11));

    step(
        out,
        "2. Train v1 on the first 8 days: no champion yet, so passing the gate makes it champion");
    train(client, request(model, range(0, 7), null), out);

    String serving = connection.endpoints().servingAddress();
    step(
        out,
        "3. Users arrive: "
            + TRAFFIC_THREADS * TRAFFIC_PER_THREAD
            + " requests/s to "
            + serving
            + ", each followed by its true label");
    List<TrafficGenerator.Row> rows =
        TrafficGenerator.rows(seed + 1, FIRST_DAY.plusDays(30), 1, rowsPerDay);
    try (TrafficGenerator traffic =
        new TrafficGenerator(
            serving,
            connection.endpoints().servingApiKey(),
            model,
            rows,
            TRAFFIC_THREADS,
            TRAFFIC_PER_THREAD)) {
      awaitAnswers(traffic, 1, out);

      step(
          out,
          "4. Retrain on all 12 days: v2 passes the gate, then earns its traffic in a canary"
              + " (25 -> 50 -> 100 %, "
              + BAKE
              + " bakes, compared with v1 on errors, p99 latency and online quality)");
      train(client, request(model, range(0, 11), null), out);

      step(out, "5. An under-fitted candidate (3 shallow trees) is refused by the gate");
      Hyperparameters weak =
          new Hyperparameters(
              Hyperparameters.GRADIENT_BOOSTING, 3, 2, 4, null, 0.05, null, null, null, null, null);
      train(client, request(model, range(0, 11), weak), out);

      String relabelled = model + "-relabelled/";
      step(
          out,
          "6. A label feed with a mapping bug (0 and 1 swapped) makes a candidate that passes the"
              + " gate, which scores it on the same swapped labels; its canary sees the users' true"
              + " labels and rolls it back");
      generator.generate(
          store,
          bucket,
          relabelled,
          new GeneratorSpec(seed + 2, FIRST_DAY, 12, rowsPerDay, null, 0, 0, 1.0));
      out.printf("   s3://%s/%s (12 days, every label swapped)%n", bucket, relabelled);
      train(client, request(model, range(relabelled, 0, 11), null), out);

      step(
          out,
          "7. A broken feed arrives for day 13 (ages negative, income column empty): validation"
              + " refuses it");
      BrokenFeed.write(store, bucket, prefix, FIRST_DAY.plusDays(12), seed, rowsPerDay);
      try {
        train(client, request(model, range(0, 12), null), out);
        throw new IllegalStateException("validation should have refused the broken day");
      } catch (WorkflowFailedException e) {
        PerennialCommand.report(e, out);
      }

      step(out, "8. Manual rollback: v1 is champion again, in seconds");
      RollbackCommand.run(
          client, new RollbackRequest(model, 1, "demo: manual rollback", "demo"), out);
      awaitAnswers(traffic, 1, out);

      drift(connection, model, traffic, out);

      step(out, "13. The registry, and what the users saw");
      var registry = connection.registry();
      ModelsCommand.print(model, registry.versions(model), registry.aliases(model), out);
      out.printf(
          "   answers by version: %s; failed requests: %d%s%n",
          traffic.answersByVersion(),
          traffic.failures(),
          traffic.lastFailure() == null ? "" : " (last: " + traffic.lastFailure() + ")");
    }
  }

  /**
   * Steps 9 to 12: a drift monitor watches v1's traffic; the world drifts; the monitor notices,
   * starts one retraining by itself, and the new version goes through the gate and the canary.
   */
  private void drift(
      CliConnection connection, String model, TrafficGenerator traffic, PrintWriter out)
      throws InterruptedException {
    WorkflowClient client = connection.workflowClient();
    step(
        out,
        "9. A drift monitor starts: every "
            + DRIFT_INTERVAL
            + " it compares the served features with v1's training data (PSI, KS, chi-square)"
            + " and v1's online log loss with its evaluation");
    DriftMonitorRequest monitor =
        new DriftMonitorRequest(
            model,
            new DriftPolicy(
                DRIFT_INTERVAL,
                null,
                300,
                null,
                null,
                null,
                null,
                null,
                null,
                100,
                null,
                "1h",
                null),
            new ContinuousTrainingRequest(
                null,
                null,
                range(DRIFT_DAY, DRIFT_DAY + DRIFT_DAYS - 1),
                null,
                null,
                null,
                null,
                null,
                "demo: started by the drift monitor",
                Rollout.CANARY,
                CANARY,
                null),
            null);
    if (MonitorCommand.start(client, monitor, connection.endpoints().uiAddress(), out) != 0) {
      throw new IllegalStateException("could not start the drift monitor");
    }
    DriftCheck calm = awaitCheck(client, model, c -> c.verdict() != null, out);
    out.printf("   check at %s: %s, %s%n", calm.at(), calm.verdict(), calm.reasons());

    step(
        out,
        "10. The world drifts: from day "
            + (DRIFT_DAY + 1)
            + " borrowers earn less, use more credit and ask for more, and who defaults changes;"
            + " "
            + DRIFT_DAYS
            + " new days of data arrive and the users come from the new world");
    LocalDate from = FIRST_DAY.plusDays(DRIFT_DAY);
    new CreditDefaultGenerator()
        .generate(
            connection.objectStore(),
            DatasetSpec.DEFAULT_BUCKET,
            model + "/",
            new GeneratorSpec(seed, from, DRIFT_DAYS, rowsPerDay, from, DRIFT, DRIFT, 0));
    LocalDate usersDay = FIRST_DAY.plusDays(40);
    traffic.switchTo(
        TrafficGenerator.rows(
            new GeneratorSpec(seed + 3, usersDay, 1, rowsPerDay, usersDay, DRIFT, DRIFT, 0)));
    DriftCheck breach =
        awaitCheck(
            client,
            model,
            c -> c.action() != null && c.action().startsWith("started retraining"),
            out);
    out.printf("   the monitor saw it at %s and %s%n", breach.at(), breach.action());
    DriftCommand.print(
        client, model, false, uri -> null, DriftCommand.figures(connection.objectStore()), out);

    step(
        out,
        "11. The drift-triggered run (trigger DRIFT, the report attached) trains on the new days;"
            + " its candidate must still pass the gate against v1 and earn its traffic in a"
            + " canary");
    ContinuousTrainingResult result =
        RunProgress.follow(client, ContinuousTrainingWorkflow.workflowId(model), out);
    RunProgress.printResult(result, out);
    if (result.outcome() != Outcome.PROMOTED) {
      throw new IllegalStateException(
          "the drift-triggered candidate was not promoted: " + result.message());
    }
    int promoted = result.version();
    awaitAnswers(traffic, promoted, out);

    step(
        out,
        "12. The monitor now compares with v"
            + promoted
            + "'s training data: the new world is its normal");
    DriftCheck settled =
        awaitCheck(
            client,
            model,
            c -> c.verdict() != null && c.champion() != null && c.champion() == promoted,
            out);
    out.printf("   check at %s: %s, %s%n", settled.at(), settled.verdict(), settled.reasons());
    MonitorCommand.Monitor m = MonitorCommand.find(client, model).orElseThrow();
    out.printf(
        "   retraining runs the monitor started: %d (later breaches: %s)%n",
        m.drift().retrainings(),
        m.drift().recent().stream()
            .map(DriftCheck::action)
            .filter(a -> a != null && !a.startsWith("started") && !a.equals("none"))
            .distinct()
            .toList());
    MonitorCommand.stop(client, model, "demo finished", MonitorCommand.STOP_WAIT, out);
  }

  /** Waits (at most 3 minutes) for a check of the model's monitor that {@code wanted} accepts. */
  private static DriftCheck awaitCheck(
      WorkflowClient client,
      String model,
      java.util.function.Predicate<DriftCheck> wanted,
      PrintWriter out)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      var m = MonitorCommand.find(client, model);
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
    DriftCommand.print(client, model, true, uri -> null, out);
    throw new IllegalStateException("the drift monitor did not report as expected within 3 min");
  }

  /** Waits until the model server answers with {@code version}, then prints how long it took. */
  private static void awaitAnswers(TrafficGenerator traffic, int version, PrintWriter out)
      throws InterruptedException {
    long start = System.nanoTime();
    long before = traffic.answersByVersion().getOrDefault(version, 0L);
    while (traffic.answersByVersion().getOrDefault(version, 0L) < before + 20) {
      if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
        throw new IllegalStateException(
            "the model server did not answer with v"
                + version
                + " within 60 s (last failure: "
                + traffic.lastFailure()
                + ")");
      }
      Thread.sleep(100);
    }
    out.printf(
        "   the model server answers with v%d (%.1f s); answers so far by version: %s%n",
        version, (System.nanoTime() - start) / 1e9, traffic.answersByVersion());
    out.flush();
  }

  /** Days {@code fromDay..toDay} of the model's own data. */
  private static DatasetSpec range(int fromDay, int toDay) {
    return range(null, fromDay, toDay);
  }

  /** Days {@code fromDay..toDay} under {@code prefix} of the data bucket. */
  private static DatasetSpec range(String prefix, int fromDay, int toDay) {
    return new DatasetSpec(
        null,
        prefix,
        FIRST_DAY.plusDays(fromDay).toString(),
        FIRST_DAY.plusDays(toDay).toString(),
        null,
        null);
  }

  private static ContinuousTrainingRequest request(
      String model, DatasetSpec dataset, Hyperparameters hp) {
    return new ContinuousTrainingRequest(
        model,
        Trigger.MANUAL,
        dataset,
        hp,
        null,
        null,
        null,
        null,
        "demo",
        Rollout.CANARY,
        CANARY,
        null);
  }

  private static void train(
      WorkflowClient client, ContinuousTrainingRequest request, PrintWriter out) {
    if (TrainCommand.start(client, request, true, out) != 0) {
      throw new IllegalStateException("could not start the run");
    }
  }

  private static void step(PrintWriter out, String title) {
    out.println();
    out.println("== " + title);
    out.flush();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
