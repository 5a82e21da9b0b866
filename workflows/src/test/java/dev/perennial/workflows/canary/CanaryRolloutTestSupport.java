package dev.perennial.workflows.canary;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.perennial.workflows.Eventually;
import dev.perennial.workflows.Histories;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * A time-skipping environment running the canary rollout against a mocked registry and an analysis
 * whose answers a test sets: a 40-minute rollout runs in moments.
 */
@Timeout(120) // A safety net against a rollout that never ends, not a speed check.
abstract class CanaryRolloutTestSupport {
  static final String MODEL = "credit-default";
  static final String ACTOR = "workflow:canary-rollout-credit-default";

  TestWorkflowEnvironment env;
  RegistryActivities registry;
  final List<AnalysisWindow> windows = new CopyOnWriteArrayList<>();
  final List<Integer> shares = new CopyOnWriteArrayList<>();

  /** What the analysis answers for the n-th window (0-based) at the canary's current share. */
  volatile Function<Integer, CanaryAnalysis> answers;

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

  static ModelVersion version(int n) {
    return new ModelVersion(
        MODEL, n, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  int currentShare() {
    return shares.isEmpty() ? 0 : shares.get(shares.size() - 1);
  }

  /** Figures at the current share: 4000 requests a bake split by it, healthy on both sides. */
  CanaryAnalysis healthy() {
    int share = currentShare();
    long canary = 40L * share;
    return analysis(
        new VersionStats(
            3, 4000 - canary, 4000 - canary, 1, 20.0, 200, 0.40, 0.80, 0.2, null, null),
        new VersionStats(4, canary, canary, 0, 21.0, 200, 0.41, 0.80, 0.2, null, null));
  }

  CanaryAnalysis analysis(VersionStats champion, VersionStats canary) {
    return new CanaryAnalysis(windows.get(windows.size() - 1), champion, canary, 3);
  }

  CanaryRolloutWorkflow stub() {
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
  static void settled(java.util.function.BooleanSupplier reacted) throws Exception {
    Eventually.until("the run's reaction to the message", Duration.ofSeconds(10), reacted);
  }

  boolean trafficBack() {
    return currentShare() == 0 && !shares.isEmpty();
  }

  /** A stub of the run already started. */
  CanaryRolloutWorkflow running() {
    return env.getWorkflowClient()
        .newWorkflowStub(CanaryRolloutWorkflow.class, CanaryRolloutWorkflow.workflowId(MODEL));
  }

  /** True when {@code w} spans one bake of 10 minutes, give or take a workflow task. */
  static boolean oneBake(AnalysisWindow w) {
    Duration d = Duration.between(Instant.parse(w.from()), Instant.parse(w.to()));
    return d.compareTo(Duration.ofMinutes(10)) >= 0
        && d.compareTo(Duration.ofMinutes(10).plusSeconds(1)) < 0;
  }

  static CanaryRolloutRequest request(CanaryPolicy policy) {
    return new CanaryRolloutRequest(MODEL, 4, policy, null);
  }

  static CanaryPolicy policy(
      LowTraffic onLowTraffic, Integer maxExtensions, Boolean requireApproval, String timeout) {
    return CanaryPolicy.builder()
        .bakeTime("10m")
        .onLowTraffic(onLowTraffic)
        .maxExtensions(maxExtensions)
        .requireApproval(requireApproval)
        .approvalTimeout(timeout)
        .build();
  }

  /** Records the rollout's history as a replay fixture, when asked to (see {@link Histories}). */
  void record(String file) throws Exception {
    Histories.recordIfAsked(
        env.getWorkflowClient(), CanaryRolloutWorkflow.workflowId(MODEL), null, file);
  }
}
