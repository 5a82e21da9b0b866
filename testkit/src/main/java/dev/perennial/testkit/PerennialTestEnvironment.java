package dev.perennial.testkit;

import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.approval.ApprovalDecision;
import dev.perennial.workflows.approval.ApprovalRequest;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.canary.CanaryRolloutWorkflowImpl;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.drift.DriftActivities;
import dev.perennial.workflows.drift.DriftMonitorWorkflowImpl;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflowImpl;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineStatus;
import dev.perennial.workflows.pipeline.Stage;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.rollback.RollbackWorkflowImpl;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.watch.DataWatchActivities;
import dev.perennial.workflows.watch.DataWatchWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.WorkflowInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives each test a fresh time-skipping Temporal test server with
 * Perennial's workers on it, so a pipeline test states only what it is about:
 *
 * <pre>{@code
 * class MyPipelineTest {
 *   @RegisterExtension
 *   static PerennialTestEnvironment env = PerennialTestEnvironment.withWorkflows(MyPipelineImpl.class);
 *
 *   @Test
 *   void weakCandidateKeepsTheChampion() {
 *     env.registry().seedChampion("credit-default", Records.metrics(0.82, 0.38));
 *     env.training().candidate(0.70, 0.55);
 *
 *     MyResult result = env.workflow(MyPipeline.class).run(new MyRequest("credit-default"));
 *
 *     assertThat(env.registry().alias("credit-default", "champion").version()).isEqualTo(1);
 *   }
 * }
 * }</pre>
 *
 * <p>Before each test it starts:
 *
 * <ul>
 *   <li>a worker on {@link TaskQueues#PIPELINES} with the given workflow classes and Perennial's
 *       built-in workflows ({@code ContinuousTraining}, {@code CanaryRollout}, {@code Rollback},
 *       {@code DriftMonitor}, {@code DataWatch}), all with {@link WorkflowImplementations#OPTIONS};
 *       a built-in is left out when a given class implements its workflow interface;
 *   <li>on that worker, the fakes {@link FakeDatasets}, {@link FakeRegistry}, {@link FakeCanary},
 *       {@link FakeDrift} and {@link FakePartitions}; on a worker on {@link TaskQueues#TRAINING},
 *       {@link FakeTraining};
 *   <li>Perennial's search attributes, registered as the worker registers them on a real server.
 * </ul>
 *
 * <p>Activities given to {@link #withActivities} are registered too (those implementing {@link
 * TrainingActivities} on the training queue, the rest on the pipelines queue) and replace the fake
 * of any building-block interface they implement, e.g. a Mockito mock of {@link CanaryActivities}.
 *
 * <p>Fakes and server are new for every test, and closed after it. Timers are skipped while a test
 * waits for a result; {@link #sleep} moves time on explicitly. One environment serves one test at a
 * time: do not run the methods of a class using it concurrently.
 */
public final class PerennialTestEnvironment implements BeforeEachCallback, AfterEachCallback {
  private static final List<Class<?>> BUILT_IN =
      List.of(
          ContinuousTrainingWorkflowImpl.class,
          CanaryRolloutWorkflowImpl.class,
          RollbackWorkflowImpl.class,
          DriftMonitorWorkflowImpl.class,
          DataWatchWorkflowImpl.class);
  private static final List<Class<?>> BUILDING_BLOCKS =
      List.of(
          DatasetActivities.class,
          TrainingActivities.class,
          RegistryActivities.class,
          CanaryActivities.class,
          DriftActivities.class,
          DataWatchActivities.class);

  private static final Duration STAGE_WAIT = Duration.ofSeconds(30);

  private final List<Class<?>> workflows;
  private final List<Object> activities;

  // The current test's; null between tests.
  private TestWorkflowEnvironment testEnv;
  private FakeRegistry registry;
  private FakeDatasets datasets;
  private FakeTraining training;
  private FakeCanary canary;
  private FakeDrift drift;
  private FakePartitions partitions;
  private int started;

  private PerennialTestEnvironment(List<Class<?>> workflows, List<Object> activities) {
    this.workflows = workflows;
    this.activities = activities;
  }

  /**
   * An environment running {@code workflowImplementations} beside the built-in workflows; none
   * gives the built-ins alone.
   */
  public static PerennialTestEnvironment withWorkflows(Class<?>... workflowImplementations) {
    return new PerennialTestEnvironment(List.of(workflowImplementations), List.of());
  }

  /**
   * This environment with {@code implementations} registered as activities as well, each replacing
   * the fake of any building-block interface it implements. The same instances serve every test.
   */
  public PerennialTestEnvironment withActivities(Object... implementations) {
    List<Object> all = new ArrayList<>(activities);
    all.addAll(List.of(implementations));
    return new PerennialTestEnvironment(workflows, List.copyOf(all));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    testEnv = TestWorkflowEnvironment.newInstance();
    for (var key : PerennialSearchAttributes.ALL) {
      testEnv.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    TestWorkflowEnvironment server = testEnv;
    registry = new FakeRegistry(() -> Instant.ofEpochMilli(server.currentTimeMillis()));
    datasets = new FakeDatasets();
    training = new FakeTraining(registry);
    canary = new FakeCanary();
    drift = new FakeDrift(registry);
    partitions = new FakePartitions();
    started = 0;

    Worker pipelines = testEnv.newWorker(TaskQueues.PIPELINES);
    Worker heavy = testEnv.newWorker(TaskQueues.TRAINING);
    List<Class<?>> types = new ArrayList<>(workflows);
    for (Class<?> builtIn : BUILT_IN) {
      if (!replaced(builtIn)) {
        types.add(builtIn);
      }
    }
    pipelines.registerWorkflowImplementationTypes(
        WorkflowImplementations.OPTIONS, types.toArray(Class<?>[]::new));
    for (Object fake : List.of(datasets, registry, canary, drift, partitions)) {
      if (!overridden(fake)) {
        pipelines.registerActivitiesImplementations(fake);
      }
    }
    if (!overridden(training)) {
      heavy.registerActivitiesImplementations(training);
    }
    for (Object a : activities) {
      (a instanceof TrainingActivities ? heavy : pipelines).registerActivitiesImplementations(a);
    }
    testEnv.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (testEnv != null) {
      testEnv.close();
    }
    testEnv = null;
    registry = null;
    datasets = null;
    training = null;
    canary = null;
    drift = null;
    partitions = null;
  }

  /**
   * A stub of a new run of {@code workflowInterface} on the pipelines queue, with a fresh workflow
   * id: calling its workflow method runs it to the end, timers skipped, and returns its result (or
   * throws {@link io.temporal.client.WorkflowFailedException}).
   */
  public <W> W workflow(Class<W> workflowInterface) {
    return workflow(workflowInterface, nextId(workflowInterface));
  }

  /** {@link #workflow(Class)} with the given workflow id. */
  public <W> W workflow(Class<W> workflowInterface, String workflowId) {
    return client()
        .newWorkflowStub(
            workflowInterface,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
  }

  /**
   * Starts a run of {@code workflowInterface} with {@code args} and returns at once with a stub of
   * that run, for its queries and signals; {@link #result} waits for its end.
   */
  public <W> W start(Class<W> workflowInterface, Object... args) {
    W stub = workflow(workflowInterface);
    WorkflowStub.fromTyped(stub).start(args);
    return stub;
  }

  /**
   * Waits for the run {@code stub} started (skipping timers) and returns its result.
   *
   * @throws io.temporal.client.WorkflowFailedException when the run failed
   */
  public <R> R result(Object stub, Class<R> resultType) {
    return WorkflowStub.fromTyped(stub).getResult(resultType);
  }

  /**
   * Waits (in real time, up to 30 s, without moving the test server's clock) until the pipeline run
   * {@code stub} started reports {@code stage} in its {@code status} query, e.g. {@link
   * Stage#AWAITING_APPROVAL} before sending it an approval.
   *
   * @throws AssertionError when the run does not get there, naming where it is
   */
  public PipelineStatus awaitStage(Object stub, Stage stage) {
    WorkflowStub run = WorkflowStub.fromTyped(stub);
    long deadline = System.nanoTime() + STAGE_WAIT.toNanos();
    PipelineStatus status = null;
    while (System.nanoTime() < deadline) {
      status = run.query(PerennialPipeline.STATUS, PipelineStatus.class);
      if (status.stage() == stage) {
        return status;
      }
      if (status.stage() == Stage.DONE
          || status.stage() == Stage.FAILED
          || status.stage() == Stage.ABORTED) {
        break;
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
    throw new AssertionError(
        "the run never reached "
            + stage
            + "; it is at "
            + (status == null ? "an unknown stage" : status.stage() + ": " + status.detail()));
  }

  /**
   * The result of a pipeline run {@code stub} started, waiting for it (timers skipped): a {@link
   * ContinuousTrainingResult}, as every {@link PerennialPipeline} returns.
   */
  public ContinuousTrainingResult result(Object stub) {
    return result(stub, ContinuousTrainingResult.class);
  }

  /**
   * Approves, as {@code by} with {@code note}, the version the pipeline run {@code stub} started
   * waits with, once it waits ({@link #awaitStage} {@link Stage#AWAITING_APPROVAL}): the {@code
   * approve} update of {@link Approvable}.
   */
  public ApprovalDecision approve(Object stub, String by, String note) {
    awaitStage(stub, Stage.AWAITING_APPROVAL);
    return WorkflowStub.fromTyped(stub)
        .update(Approvable.APPROVE, ApprovalDecision.class, new ApprovalRequest(by, note));
  }

  /** Like {@link #approve}, with the {@code reject} update. */
  public ApprovalDecision reject(Object stub, String by, String note) {
    awaitStage(stub, Stage.AWAITING_APPROVAL);
    return WorkflowStub.fromTyped(stub)
        .update(Approvable.REJECT, ApprovalDecision.class, new ApprovalRequest(by, note));
  }

  /** Moves the test server's clock on by {@code d}, firing the timers due meanwhile. */
  public void sleep(Duration d) {
    server().sleep(d);
  }

  /** The client of this test's server, for anything the shortcuts here do not cover. */
  public WorkflowClient client() {
    return server().getWorkflowClient();
  }

  /** This test's Temporal test environment (started). */
  public TestWorkflowEnvironment server() {
    return current(testEnv);
  }

  /** This test's registry. */
  public FakeRegistry registry() {
    return current(registry);
  }

  /** This test's datasets. */
  public FakeDatasets datasets() {
    return current(datasets);
  }

  /** This test's training and evaluation. */
  public FakeTraining training() {
    return current(training);
  }

  /** This test's canary analysis. */
  public FakeCanary canary() {
    return current(canary);
  }

  /** This test's drift measurement. */
  public FakeDrift drift() {
    return current(drift);
  }

  /** This test's data prefixes, for the data watch. */
  public FakePartitions partitions() {
    return current(partitions);
  }

  private String nextId(Class<?> type) {
    return "test-" + type.getSimpleName().toLowerCase(Locale.ROOT) + "-" + ++started;
  }

  /** True when a given workflow class implements one of {@code builtIn}'s workflow interfaces. */
  private boolean replaced(Class<?> builtIn) {
    for (Class<?> iface : builtIn.getInterfaces()) {
      if (iface.isAnnotationPresent(WorkflowInterface.class)) {
        for (Class<?> w : workflows) {
          if (iface.isAssignableFrom(w)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** True when a given activity implements the building-block interface {@code fake} fakes. */
  private boolean overridden(Object fake) {
    for (Class<?> block : BUILDING_BLOCKS) {
      if (block.isInstance(fake)) {
        for (Object a : activities) {
          if (block.isInstance(a)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static <T> T current(T value) {
    if (value == null) {
      throw new IllegalStateException(
          "no test is running: use the environment inside @Test, @BeforeEach or @AfterEach"
              + " methods, with the extension registered by @RegisterExtension");
    }
    return value;
  }
}
