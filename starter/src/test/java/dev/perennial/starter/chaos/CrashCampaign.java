package dev.perennial.starter.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.traffic.TrafficGenerator;
import dev.perennial.starter.chaos.InvariantChecker.Answers;
import dev.perennial.starter.chaos.InvariantChecker.Run;
import dev.perennial.starter.chaos.InvariantChecker.Violation;
import dev.perennial.starter.chaos.RunWatcher.Look;
import dev.perennial.starter.chaos.RunWatcher.Stage;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.LowTraffic;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.Rollout;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Full pipeline cycles on a {@link ChaosStack}, each struck where a seeded plan says: the worker
 * killed with {@code kill -9} and replaced, the dev server killed and restarted on its database, or
 * MinIO stopped for a while, at the stage the run's pending activities show. Every run must end as
 * it would have without the strike, and {@link InvariantChecker} must find nothing afterwards.
 */
final class CrashCampaign {
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
  private static final Duration RUN_DEADLINE = Duration.ofMinutes(15);

  /** What a cycle is and how it must end. */
  enum Kind {
    /** The first run of a model, no champion yet: promoted at once. */
    BOOTSTRAP(Outcome.PROMOTED),
    /** A sound candidate through a canary of two steps: promoted. */
    PROMOTED(Outcome.PROMOTED),
    /** A candidate trained on swapped labels: passes the gate, its canary breaches: withdrawn. */
    WITHDRAWN(Outcome.ROLLED_BACK);

    final Outcome outcome;

    Kind(Outcome outcome) {
      this.outcome = outcome;
    }

    /** The stages a run of this kind passes, in order. */
    List<Stage> stages() {
      return switch (this) {
        case BOOTSTRAP ->
            List.of(
                Stage.SNAPSHOT,
                Stage.VALIDATION,
                Stage.TRAINING,
                Stage.EVALUATION,
                Stage.REGISTRATION,
                Stage.PROMOTION);
        case PROMOTED ->
            List.of(
                Stage.SNAPSHOT,
                Stage.VALIDATION,
                Stage.TRAINING,
                Stage.EVALUATION,
                Stage.REGISTRATION,
                Stage.CANARY_BAKE,
                Stage.CANARY_ANALYSIS,
                Stage.PROMOTION);
        case WITHDRAWN ->
            List.of(
                Stage.SNAPSHOT,
                Stage.VALIDATION,
                Stage.TRAINING,
                Stage.EVALUATION,
                Stage.REGISTRATION,
                Stage.CANARY_BAKE,
                Stage.CANARY_ANALYSIS,
                Stage.REJECTION);
      };
    }
  }

  /** What a strike does. */
  enum Action {
    KILL_WORKER,
    KILL_DEV_SERVER,
    S3_OUTAGE
  }

  /** A strike planned at the first look that shows {@code at} or a later stage. */
  record Strike(Stage at, Action action) {}

  /** A strike that happened: where the run was, and what it cost to recover the server. */
  record Struck(String model, int cycle, Stage stage, String detail, Action action, Instant at) {}

  /** One cycle's figures. */
  record CycleFigures(
      String model, int cycle, Kind kind, Outcome outcome, Instant started, Duration took) {

    Instant ended() {
      return started.plus(took);
    }
  }

  private final ChaosStack stack;
  private final WorkflowClient client;
  private final RunWatcher watcher;
  private final PrintWriter out;
  private final Random random;
  private final long seed;
  private final Duration s3Outage;
  private final Map<String, List<Run>> runs = new TreeMap<>();
  private final Map<String, TrafficGenerator> traffic = new ConcurrentHashMap<>();
  // Racing cycles of different models add to these from their own threads.
  private final List<Struck> struck = Collections.synchronizedList(new ArrayList<>());
  private final List<CycleFigures> cycles = Collections.synchronizedList(new ArrayList<>());

  CrashCampaign(ChaosStack stack, long seed, Duration s3Outage, PrintWriter out) {
    this.stack = stack;
    this.client = stack.client();
    this.watcher = new RunWatcher(stack.service(), client);
    this.out = out;
    this.seed = seed;
    this.random = new Random(seed);
    this.s3Outage = s3Outage;
    out.printf("crash campaign seed %d%n", seed);
  }

  /** Writes the model's data (true labels) and a swapped-label copy for withdrawn candidates. */
  void prepare(String model) {
    CreditDefaultGenerator generator = new CreditDefaultGenerator();
    generator.generate(
        stack.store(),
        DatasetSpec.DEFAULT_BUCKET,
        model + "/",
        GeneratorSpec.clean(seed, FIRST_DAY, 9, 1200));
    generator.generate(
        stack.store(),
        DatasetSpec.DEFAULT_BUCKET,
        model + "-swapped/",
        new GeneratorSpec(seed + 1, FIRST_DAY, 9, 1200, null, 0, 0, 1.0));
    runs.put(model, new ArrayList<>());
  }

  /** Users of {@code model}: 20 requests/s, each answer followed by its true label. */
  void startTraffic(String model) {
    traffic.put(
        model,
        new TrafficGenerator(
            stack.endpoints().servingAddress(),
            stack.endpoints().servingApiKey(),
            model,
            TrafficGenerator.rows(seed + 7, FIRST_DAY.plusDays(20), 1, 2000),
            2,
            10));
  }

  /** Starts the worker {@code name}. */
  void startWorker(String name) throws Exception {
    stack.startWorker(name);
  }

  /**
   * {@code count} strikes of {@code action} at distinct stages of a {@code kind} cycle, drawn from
   * {@code pool} (all of the kind's stages when null) by the campaign's seeded generator.
   */
  List<Strike> plan(Kind kind, int count, Action action, List<Stage> pool) {
    List<Stage> stages = new ArrayList<>(kind.stages());
    if (pool != null) {
      stages.retainAll(pool);
    }
    Collections.shuffle(stages, random);
    List<Stage> picked = new ArrayList<>(stages.subList(0, Math.min(count, stages.size())));
    picked.sort(null);
    return picked.stream().map(s -> new Strike(s, action)).toList();
  }

  /**
   * Runs one cycle of {@code kind} on {@code model} to its end, striking as {@code strikes} say.
   */
  ContinuousTrainingResult cycle(String model, Kind kind, List<Strike> strikes, String worker)
      throws Exception {
    int number = runs.get(model).size() + 1;
    out.printf("%s cycle %d (%s): strikes %s%n", model, number, kind, strikes);
    out.flush();
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    PipelineRuns.Started run =
        (PipelineRuns.Started)
            PipelineRuns.start(
                client,
                ContinuousTrainingWorkflow.TYPE,
                ContinuousTrainingWorkflow.workflowId(model),
                request(model, kind, number));
    WorkflowExecution execution =
        WorkflowExecution.newBuilder()
            .setWorkflowId(run.workflowId())
            .setRunId(run.runId())
            .build();
    Deque<Strike> pending = new ArrayDeque<>(strikes);
    long deadline = started + RUN_DEADLINE.toNanos();
    while (true) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            model + " cycle " + number + " still running after " + RUN_DEADLINE + stack.logs());
      }
      Look look;
      try {
        look = watcher.look(execution);
      } catch (RuntimeException e) {
        // Temporal restarting, or the status query while no worker runs: look again.
        Thread.sleep(200);
        continue;
      }
      if (!look.running()) {
        break;
      }
      if (look.stage() != null
          && !pending.isEmpty()
          && look.stage().compareTo(pending.peek().at()) >= 0) {
        Strike strike = pending.poll();
        strike(model, number, look, strike.action(), worker);
      }
      Thread.sleep(20); // the poll interval of a watch on Temporal's state
    }
    ContinuousTrainingResult result = result(execution);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    runs.get(model).add(new Run(run.workflowId(), run.runId(), result.version()));
    cycles.add(new CycleFigures(model, number, kind, result.outcome(), startedAt, took));
    out.printf(
        "%s cycle %d: %s v%s in %d s (%s)%n",
        model, number, result.outcome(), result.version(), took.toSeconds(), result.message());
    out.flush();
    assertThat(pending).as("strikes that never found their stage").isEmpty();
    assertThat(result.outcome())
        .as("%s cycle %d: %s", model, number, result.message())
        .isEqualTo(kind.outcome);
    return result;
  }

  private void strike(String model, int cycle, Look look, Action action, String worker)
      throws Exception {
    out.printf("  %s at %s (%s)%n", action, look.stage(), look.detail());
    out.flush();
    switch (action) {
      case KILL_WORKER -> {
        stack.killWorker(worker);
        stack.startWorker(worker);
      }
      case KILL_DEV_SERVER -> {
        Duration down = stack.killAndRestartTemporal();
        out.printf("  dev server back after %d ms%n", down.toMillis());
      }
      case S3_OUTAGE -> {
        stack.stopS3();
        // A deliberate outage of fixed length, not a wait for a state: S3 is gone meanwhile.
        Thread.sleep(s3Outage.toMillis());
        stack.startS3Again();
      }
    }
    struck.add(new Struck(model, cycle, look.stage(), look.detail(), action, Instant.now()));
  }

  private ContinuousTrainingResult result(WorkflowExecution execution) throws InterruptedException {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      try {
        return client
            .newUntypedWorkflowStub(
                execution.getWorkflowId(), Optional.of(execution.getRunId()), Optional.empty())
            .getResult(30, TimeUnit.SECONDS, ContinuousTrainingResult.class);
      } catch (TimeoutException e) {
        last = new IllegalStateException(e);
      } catch (RuntimeException e) {
        if (e instanceof WorkflowFailedException) {
          throw new AssertionError("the run failed: " + e.getMessage() + stack.logs(), e);
        }
        last = e;
        Thread.sleep(500);
      }
    }
    throw new AssertionError("no result for " + execution, last);
  }

  private ContinuousTrainingRequest request(String model, Kind kind, int number) {
    // A few more days each cycle, so the candidates differ; the swapped copy for withdrawals.
    int lastDay = 4 + number % 3;
    DatasetSpec days =
        new DatasetSpec(
            null,
            kind == Kind.WITHDRAWN ? model + "-swapped/" : null,
            FIRST_DAY.toString(),
            FIRST_DAY.plusDays(lastDay).toString(),
            null,
            null);
    // Lenient: which of two similar models wins on a few thousand rows is not the point here.
    GatePolicy gate = new GatePolicy(0.6, 1.0, -0.1, 0.5);
    // Forced: the day ranges repeat every third cycle, and a cycle must train, not take the
    // version an earlier cycle made from the same days.
    return new ContinuousTrainingRequest(
            model,
            Trigger.MANUAL,
            days,
            null,
            null,
            gate,
            null,
            null,
            "crash campaign",
            kind == Kind.BOOTSTRAP ? Rollout.PROMOTE : Rollout.CANARY,
            kind == Kind.WITHDRAWN ? STRICT : LENIENT,
            null)
        .toBuilder().force(true).build();
  }

  /**
   * A canary that passes any sound candidate: thresholds wide enough that small-sample noise cannot
   * end it. This campaign is about where a crashed run resumes, not about judging.
   */
  private static final CanaryPolicy LENIENT =
      CanaryPolicy.builder()
          .steps(List.of(50, 100))
          .bakeTime("3s")
          .minRequests(10)
          .maxErrorRateDelta(0.2)
          .maxP99LatencyRatio(100.0)
          .latencySlackMs(1000.0)
          .maxLogLossIncrease(5.0)
          .maxAucDrop(1.0)
          .requireQuality(false)
          .onLowTraffic(LowTraffic.EXTEND)
          .maxExtensions(20)
          .requireApproval(false)
          .build();

  /** A canary that judges online quality: a candidate trained on swapped labels breaches it. */
  private static final CanaryPolicy STRICT =
      LENIENT.toBuilder()
          .maxLogLossIncrease(0.05)
          .maxAucDrop(0.03)
          .minLabelledRows(20)
          .requireQuality(true)
          .build();

  // --- checking ---

  /**
   * Stops the users and checks every invariant of every model: the logs once the model server has
   * flushed what it took (polled, with a deadline), then the registry.
   */
  void checkInvariants() throws InterruptedException {
    for (TrafficGenerator t : traffic.values()) {
      t.close();
    }
    InvariantChecker checker =
        new InvariantChecker(stack.store(), stack.endpoints().artifactBucket());
    List<Violation> found = new ArrayList<>();
    for (Map.Entry<String, List<Run>> model : runs.entrySet()) {
      found.addAll(checker.registry(model.getKey(), model.getValue()));
      TrafficGenerator t = traffic.get(model.getKey());
      if (t == null) {
        continue;
      }
      assertThat(t.failures()).as("requests failed: %s", t.lastFailure()).isZero();
      Answers answers = new Answers(t.answersByVersion(), t.labelsAccepted());
      List<Violation> logs = checker.logs(model.getKey(), answers);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!logs.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(1000); // the model server flushes its spool every second
        logs = checker.logs(model.getKey(), answers);
      }
      found.addAll(logs);
      out.printf(
          "%s: %d runs, answers per version %s, %d labels%n",
          model.getKey(),
          model.getValue().size(),
          answers.predictionsByVersion(),
          answers.labels());
    }
    InvariantChecker.assertNone(found);
  }

  // --- figures ---

  List<Struck> struck() {
    return struck;
  }

  List<CycleFigures> cycles() {
    return cycles;
  }

  /** One block of figures for docs/reliability.md, appended to {@code file} and printed. */
  void report(String scenario, Duration took, Path file) throws IOException {
    Map<Action, Map<Stage, Integer>> byAction = new EnumMap<>(Action.class);
    for (Struck s : struck) {
      byAction
          .computeIfAbsent(s.action(), a -> new EnumMap<>(Stage.class))
          .merge(s.stage(), 1, Integer::sum);
    }
    long answers =
        traffic.values().stream()
            .mapToLong(t -> t.answersByVersion().values().stream().mapToLong(Long::longValue).sum())
            .sum();
    long labels = traffic.values().stream().mapToLong(TrafficGenerator::labelsAccepted).sum();
    String text =
        "%s: seed %d, %s, load %s; %d cycles %s; strikes %s; %d requests answered, %d labels; %d s%n"
            .formatted(
                scenario,
                seed,
                Instant.now(),
                Files.readString(Path.of("/proc/loadavg")).trim(),
                cycles.size(),
                cycles.stream()
                    .map(c -> c.kind() + "→" + c.outcome() + " " + c.took().toSeconds() + "s")
                    .toList(),
                byAction,
                answers,
                labels,
                took.toSeconds());
    out.print(text);
    out.flush();
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
