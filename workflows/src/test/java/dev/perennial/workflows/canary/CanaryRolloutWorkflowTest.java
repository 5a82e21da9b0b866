package dev.perennial.workflows.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every path of the canary rollout, with time skipping: a 40-minute rollout runs in moments. */
@Timeout(120) // A safety net against a rollout that never ends, not a speed check.
class CanaryRolloutWorkflowTest {
  private static final String MODEL = "credit-default";
  private static final String ACTOR = "workflow:canary-rollout-credit-default";

  private TestWorkflowEnvironment env;
  private RegistryActivities registry;
  private final List<AnalysisWindow> windows = new CopyOnWriteArrayList<>();
  private final List<Integer> shares = new CopyOnWriteArrayList<>();

  /** What the analysis answers for the n-th window (0-based) at the canary's current share. */
  private volatile Function<Integer, CanaryAnalysis> answers;

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes();
    registry = mock(RegistryActivities.class, withSettings().withoutAnnotations());
    when(registry.findAlias(MODEL, Aliases.CHAMPION)).thenReturn(version(3));
    org.mockito.Mockito.doAnswer(
            call -> {
              shares.add(call.<TrafficChange>getArgument(0).canaryPercent());
              return null;
            })
        .when(registry)
        .setTrafficSplit(any());
    CanaryActivities analysis =
        window -> {
          windows.add(window);
          return answers.apply(windows.size() - 1);
        };
    var worker = env.newWorker(TaskQueues.PIPELINES);
    worker.registerWorkflowImplementationTypes(
        WorkflowImplementations.OPTIONS, CanaryRolloutWorkflowImpl.class);
    worker.registerActivitiesImplementations(registry, analysis);
    env.start();
    answers = n -> healthy();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private static ModelVersion version(int n) {
    return new ModelVersion(
        MODEL, n, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private int currentShare() {
    return shares.isEmpty() ? 0 : shares.get(shares.size() - 1);
  }

  /** Figures at the current share: 4000 requests a bake split by it, healthy on both sides. */
  private CanaryAnalysis healthy() {
    int share = currentShare();
    long canary = 40L * share;
    return analysis(
        new VersionStats(
            3, 4000 - canary, 4000 - canary, 1, 20.0, 200, 0.40, 0.80, 0.2, null, null),
        new VersionStats(4, canary, canary, 0, 21.0, 200, 0.41, 0.80, 0.2, null, null));
  }

  private CanaryAnalysis analysis(VersionStats champion, VersionStats canary) {
    return new CanaryAnalysis(windows.get(windows.size() - 1), champion, canary, 3);
  }

  private CanaryRolloutWorkflow stub() {
    return env.getWorkflowClient()
        .newWorkflowStub(
            CanaryRolloutWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(CanaryRolloutWorkflow.workflowId(MODEL))
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
  }

  /**
   * Waits in real time, with the test clock held, until the run has reacted to a signal. Were the
   * clock let run at once (getResult and sleep do), it could reach a pending timer's deadline in
   * the same workflow task that cancels the timer, which the Java test server refuses ("invalid
   * history builder state for action", temporalio/sdk-java#2606) and the run hangs.
   */
  private static void settled(java.util.function.BooleanSupplier reacted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!reacted.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the run did not react to the signal within 10 s");
      }
      Thread.sleep(20);
    }
  }

  private boolean trafficBack() {
    return currentShare() == 0 && !shares.isEmpty();
  }

  /** A stub of the run already started. */
  private CanaryRolloutWorkflow running() {
    return env.getWorkflowClient()
        .newWorkflowStub(CanaryRolloutWorkflow.class, CanaryRolloutWorkflow.workflowId(MODEL));
  }

  /** True when {@code w} spans one bake of 10 minutes, give or take a workflow task. */
  private static boolean oneBake(AnalysisWindow w) {
    Duration d = Duration.between(Instant.parse(w.from()), Instant.parse(w.to()));
    return d.compareTo(Duration.ofMinutes(10)) >= 0
        && d.compareTo(Duration.ofMinutes(10).plusSeconds(1)) < 0;
  }

  private static CanaryRolloutRequest request(CanaryPolicy policy) {
    return new CanaryRolloutRequest(MODEL, 4, policy, null);
  }

  private static CanaryPolicy policy(
      LowTraffic onLowTraffic, Integer maxExtensions, Boolean requireApproval, String timeout) {
    return CanaryPolicy.builder()
        .bakeTime("10m")
        .onLowTraffic(onLowTraffic)
        .maxExtensions(maxExtensions)
        .requireApproval(requireApproval)
        .approvalTimeout(timeout)
        .build();
  }

  @Test
  void passesEveryStepOnDurableTimersThenPromotes() {
    long start = env.currentTimeMillis();

    CanaryResult result = stub().run(request(null));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.champion()).isEqualTo(4);
    assertThat(result.previousChampion()).isEqualTo(3);
    assertThat(result.message()).isEqualTo("v4 is champion (was v3)");
    assertThat(result.history())
        .extracting(StepReport::step, StepReport::percent, StepReport::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 10, Verdict.PASS),
            org.assertj.core.groups.Tuple.tuple(2, 25, Verdict.PASS),
            org.assertj.core.groups.Tuple.tuple(3, 50, Verdict.PASS),
            org.assertj.core.groups.Tuple.tuple(4, 100, Verdict.PASS));
    // Each window is one bake long and starts where its step's traffic shift ended.
    for (AnalysisWindow w : windows) {
      assertThat(oneBake(w)).as("window %s", w).isTrue();
      assertThat(w.champion()).isEqualTo(3);
      assertThat(w.canary()).isEqualTo(4);
    }
    assertThat(env.currentTimeMillis() - start).isGreaterThanOrEqualTo(40 * 60_000L);
    // At 100 % the champion served nothing: the 50 % step's champion figures stood in.
    assertThat(result.history().get(3).champion().requests()).isEqualTo(2000);
    var order = inOrder(registry);
    for (int percent : List.of(10, 25, 50, 100)) {
      order
          .verify(registry)
          .setTrafficSplit(
              new TrafficChange(
                  MODEL,
                  4,
                  percent,
                  "canary step " + (List.of(10, 25, 50, 100).indexOf(percent) + 1) + " of 4",
                  ACTOR));
    }
    String reason = "canary passed 4 steps against v3";
    order.verify(registry).setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 4, reason, ACTOR));
    order.verify(registry).setTrafficSplit(TrafficChange.championOnly(MODEL, reason, ACTOR));
    verify(registry, never()).reject(any());
  }

  @Test
  void aBreachSendsTrafficBackAndWithdrawsTheVersionWithTheReason() {
    answers =
        n ->
            n < 1
                ? healthy()
                : analysis(
                    new VersionStats(3, 3000, 3000, 4, 20.0, 0, null, null, 0.2, null, null),
                    new VersionStats(4, 1000, 1000, 100, 21.0, 0, null, null, 0.2, null, null));

    CanaryResult result = stub().run(request(null));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.ROLLED_BACK);
    assertThat(result.champion()).isEqualTo(3);
    String breach =
        "step 2 at 25 %: error rate: 10.00 % vs 0.13 % (+9.87 points, max +1.00, noise ±1.90)";
    assertThat(result.reason()).isEqualTo(breach);
    assertThat(result.history())
        .extracting(StepReport::verdict)
        .containsExactly(Verdict.PASS, Verdict.BREACH);
    assertThat(shares).containsExactly(10, 25, 0);
    var order = inOrder(registry);
    order
        .verify(registry)
        .setTrafficSplit(TrafficChange.championOnly(MODEL, "canary breached: " + breach, ACTOR));
    order
        .verify(registry)
        .reject(new Rejection(MODEL, 4, "canary breached at " + breach, ACTOR, null));
    verify(registry, never()).setAlias(any());
  }

  @Test
  void tooLittleTrafficExtendsTheBakeThenEndsInconclusive() {
    answers =
        n ->
            analysis(
                new VersionStats(3, 900, 900, 0, 20.0, 0, null, null, 0.2, null, null),
                new VersionStats(4, 40, 40, 0, 20.0, 0, null, null, 0.2, null, null));

    CanaryResult result = stub().run(request(policy(LowTraffic.EXTEND, 2, null, null)));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.INCONCLUSIVE);
    assertThat(result.history())
        .extracting(StepReport::step, StepReport::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 0),
            org.assertj.core.groups.Tuple.tuple(1, 1),
            org.assertj.core.groups.Tuple.tuple(1, 2));
    assertThat(result.reason())
        .isEqualTo(
            "step 1 saw too little traffic after 2 extensions (traffic: canary served 40 of 200"
                + " requests needed)");
    assertThat(shares).containsExactly(10, 0);
    verify(registry, never()).reject(any());
    verify(registry, never()).setAlias(any());
  }

  @Test
  void holdKeepsBakingUntilTrafficArrivesThenGoesOn() {
    answers =
        n ->
            n < 6
                ? analysis(
                    new VersionStats(3, 900, 900, 0, 20.0, 0, null, null, 0.2, null, null),
                    new VersionStats(4, 5, 5, 0, 20.0, 0, null, null, 0.2, null, null))
                : healthy();

    CanaryResult result = stub().run(request(policy(LowTraffic.HOLD, 0, null, null)));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.history()).hasSize(6 + 4);
    assertThat(result.history().subList(0, 7)).allMatch(r -> r.step() == 1);
  }

  @Test
  void waitsForApprovalBeforePromoting() throws Exception {
    WorkflowClient.start(stub()::run, request(policy(null, null, true, "1d")));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofHours(1));

    assertThat(running.status().phase()).isEqualTo(CanaryPhase.AWAITING_APPROVAL);
    assertThat(running.status().message())
        .isEqualTo("every step passed; waiting up to 1d for an approve signal");
    verify(registry, never()).setAlias(any());

    running.approve("alice");
    verify(registry, timeout(10_000)).setAlias(any()); // the run reacted: see settled()
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(running.status().approved()).isTrue();
  }

  @Test
  void withoutApprovalInTimeTheChampionStays() {
    CanaryResult result = stub().run(request(policy(null, null, true, "2h")));

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.APPROVAL_TIMED_OUT);
    assertThat(result.reason()).isEqualTo("no approval within 2h; champion kept");
    assertThat(shares).containsExactly(10, 25, 50, 100, 0);
    verify(registry, never()).setAlias(any());
    verify(registry, never()).reject(any());
  }

  @Test
  void pauseHoldsTheStepUntilResumeAndThePausedBakeStartsAfresh() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(15)); // step 1 analysed at 10 min, step 2 baking
    running.pause("holiday freeze");
    settled(() -> running.status().phase() == CanaryPhase.PAUSED);
    env.sleep(Duration.ofHours(6));

    CanaryStatus held = running.status();
    assertThat(held.phase()).isEqualTo(CanaryPhase.PAUSED);
    assertThat(held.paused()).isTrue();
    assertThat(held.step()).isEqualTo(2);
    assertThat(held.canaryPercent()).isEqualTo(25);
    assertThat(held.message()).isEqualTo("paused at 25 %: holiday freeze");
    assertThat(windows).hasSize(1);
    assertThat(shares).containsExactly(10, 25);

    running.resume(null);
    settled(() -> running.status().phase() != CanaryPhase.PAUSED);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    // Step 2's window is a whole bake after the resume, not the paused stretch.
    AnalysisWindow step2 = windows.get(1);
    assertThat(oneBake(step2)).as("window %s", step2).isTrue();
    assertThat(Instant.parse(step2.from()))
        .isAfter(Instant.parse(windows.get(0).to()).plus(Duration.ofHours(6)));
  }

  @Test
  void promoteNowSkipsTheRemainingSteps() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(12));

    running.promoteNow("urgent fix for a bad feature");
    settled(this::trafficBack);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.PROMOTED);
    assertThat(result.reason()).isEqualTo("promoted now: urgent fix for a bad feature");
    assertThat(shares).containsExactly(10, 25, 0);
    verify(registry)
        .setAlias(
            new AliasChange(
                MODEL, Aliases.CHAMPION, 4, "promoted now: urgent fix for a bad feature", ACTOR));
  }

  @Test
  void abortSendsTrafficBackAndKeepsTheVersionApproved() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    CanaryRolloutWorkflow running = running();
    env.sleep(Duration.ofMinutes(25));

    running.abort("wrong version");
    settled(this::trafficBack);
    CanaryResult result = WorkflowStub.fromTyped(running).getResult(CanaryResult.class);

    assertThat(result.outcome()).isEqualTo(CanaryOutcome.ABORTED);
    assertThat(result.reason()).isEqualTo("aborted: wrong version");
    assertThat(shares).containsExactly(10, 25, 50, 0);
    verify(registry, never()).reject(any());
    verify(registry, never()).setAlias(any());
    assertThat(running.status().outcome()).isEqualTo(CanaryOutcome.ABORTED);
  }

  @Test
  void cancellingTheRunStillSendsTrafficBack() throws Exception {
    WorkflowClient.start(stub()::run, request(null));
    env.sleep(Duration.ofMinutes(15));

    WorkflowStub.fromTyped(running()).cancel();
    settled(this::trafficBack);

    assertThatThrownBy(() -> WorkflowStub.fromTyped(running()).getResult(CanaryResult.class))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(shares).containsExactly(10, 25, 0);
  }

  @Test
  void refusesBadRequestsAndModelsWithoutAChampion() {
    CanaryPolicy bad = CanaryPolicy.builder().steps(List.of(0)).build();
    assertThatThrownBy(() -> stub().run(new CanaryRolloutRequest("Bad Name", null, bad, null)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContainingAll("model: must be", "version: must be", "policy.steps[0]");

    when(registry.findAlias(MODEL, Aliases.CHAMPION)).thenReturn(null);
    assertThatThrownBy(() -> stub().run(request(null)))
        .rootCause()
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("has no champion to compare a canary with")
        .satisfies(
            e ->
                assertThat(((ApplicationFailure) e).getType())
                    .isEqualTo(FailureTypes.INVALID_REQUEST));

    when(registry.findAlias(MODEL, Aliases.CHAMPION)).thenReturn(version(4));
    assertThatThrownBy(() -> stub().run(request(null)))
        .rootCause()
        .hasMessageContaining("v4 of credit-default is already champion");
    assertThat(shares).isEmpty();
  }
}
