package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PipelineStatus;
import dev.perennial.workflows.pipeline.Rollout;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.ParameterRange;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.search.Trial;
import dev.perennial.workflows.search.TrialState;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hyperparameter search on three worker JVMs against the real Temporal dev server and MinIO: the
 * trials spread over the workers, and a worker killed while it trains a trial, after it finished
 * another, costs only the trial in flight. Its finished trial is kept as it was (same worker, one
 * attempt, same model bytes), the trial in flight trains again on a survivor, and no trial is
 * scheduled twice.
 *
 * <p>Each worker trains one trial at a time ({@code perennial.training-concurrency=1}) and the
 * search three at once, so a round of trials needs three workers. It needs the real servers
 * (skipped without them, required in CI).
 */
@Timeout(900) // A safety net against a hang, not a speed check.
class HyperparameterSearchOnWorkersTest {
  private static final String MODEL = "credit-default";
  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);
  private static final Pattern TRIAL_RUN_ID = Pattern.compile("\"runId\":\"[^\"]*/trial-(\\d+)\"");

  /** Nine trials, three at once; seeded, so the plan is the same on every run of the test. */
  private static final HyperparameterSearch SEARCH =
      HyperparameterSearch.random(9)
          .over("trees", ParameterRange.ints(60, 140))
          .over("maxDepth", ParameterRange.ints(3, 6))
          .over("shrinkage", ParameterRange.logScale(0.03, 0.3))
          .parallelism(3)
          .seed(11);

  @TempDir Path dir;
  private final Map<String, Process> workers = new LinkedHashMap<>();

  @Test
  void trialsSpreadOverWorkersAndAKilledWorkerCostsOnlyTheTrialInFlight() throws Exception {
    RealServers.assumeInstalled();
    StringWriter log = new StringWriter();
    PrintWriter out = new PrintWriter(log, true);
    try (DevStack stack =
        DevStack.start(
            dir,
            DevStack.Ports.free(),
            DevStack.External.NONE,
            DevStack.ServerChoice.INSTALLED,
            false,
            out)) {
      CliConnection connection = new CliConnection();
      connection.dataDir = dir;
      connection.use(stack.endpoints());
      try {
        run(stack, connection);
      } finally {
        workers.values().forEach(Process::destroyForcibly);
        connection.close();
      }
    } catch (AssertionError | Exception e) {
      throw new AssertionError(e.getMessage() + "\n--- output ---\n" + log + workerLogs(), e);
    }
  }

  private void run(DevStack stack, CliConnection connection) throws Exception {
    WorkflowClient client = connection.workflowClient();
    new CreditDefaultGenerator()
        .generate(
            connection.objectStore(),
            DatasetSpec.DEFAULT_BUCKET,
            MODEL + "/",
            GeneratorSpec.clean(5, FIRST_DAY, 8, 3000));
    for (String name : List.of("a", "b", "c")) {
      startWorker(stack, name);
    }
    // All three poll before the search starts, so its first round has three workers to go to.
    await("three workers polling both task queues")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                pollers(client, TaskQueues.TRAINING, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                        .containsAll(workers.keySet())
                    && pollers(client, TaskQueues.PIPELINES, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                        .containsAll(workers.keySet()));

    String workflowId = "continuous-training-" + MODEL;
    ContinuousTrainingWorkflow run =
        client.newWorkflowStub(
            ContinuousTrainingWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
    DatasetSpec days =
        new DatasetSpec(
            null, null, FIRST_DAY.toString(), FIRST_DAY.plusDays(7).toString(), null, null);
    ContinuousTrainingRequest request =
        new ContinuousTrainingRequest(
                MODEL,
                Trigger.MANUAL,
                days,
                null,
                null,
                new GatePolicy(0.6, 1.0, -0.1, 0.5),
                null,
                null,
                "search test",
                Rollout.PROMOTE,
                null,
                null)
            .withSearch(SEARCH);
    WorkflowClient.start(run::run, request);

    // Wait until a worker that finished a trial trains another, then kill it like a crash.
    AtomicReference<SearchResult> atKill = new AtomicReference<>();
    String victim =
        await("a worker with a finished trial training the next")
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofMillis(200))
            // A query waits for a worker to answer it; one that takes too long is asked again.
            .ignoreException(io.temporal.client.WorkflowServiceException.class)
            .until(
                () -> {
                  PipelineStatus status = run.status();
                  assertThat(status.stage().name())
                      .as(status.detail())
                      .isIn("STARTING", "SNAPSHOT", "VALIDATE", "CACHE", "TRAIN");
                  if (status.search() == null) {
                    return null;
                  }
                  for (String training : trainingNow(client, workflowId)) {
                    boolean finishedOne =
                        status.search().trials().stream()
                            .anyMatch(
                                t ->
                                    t.state() == TrialState.SUCCEEDED
                                        && training.equals(t.worker()));
                    if (finishedOne && workers.containsKey(training)) {
                      atKill.set(status.search());
                      return training;
                    }
                  }
                  return null;
                },
                java.util.Objects::nonNull);
    Process killed = workers.get(victim);
    killed.destroyForcibly();
    assertThat(killed.waitFor(30, TimeUnit.SECONDS)).as("the killed worker died").isTrue();

    ContinuousTrainingResult result =
        WorkflowStub.fromTyped(run).getResult(10, TimeUnit.MINUTES, ContinuousTrainingResult.class);
    // Kept beside the test reports: the first thing to read when this test fails.
    Path reports = Path.of("target", "surefire-reports");
    Files.createDirectories(reports);
    Files.writeString(
        reports.resolve(getClass().getSimpleName() + "-history.json"),
        client.fetchHistory(workflowId).toJson(true));
    assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.PROMOTED);

    ModelRegistry registry = connection.registry();
    ModelVersion version = registry.version(MODEL, result.version()).orElseThrow();
    SearchResult search = version.search();
    assertThat(search).as("the registry entry records the search").isNotNull();
    assertThat(search.trials()).hasSize(9).allMatch(t -> t.state() == TrialState.SUCCEEDED);
    Trial best = search.bestTrial().orElseThrow();
    assertThat(version.hyperparameters()).isEqualTo(best.hyperparameters());
    assertThat(version.artifacts()).isEqualTo(best.trained());
    assertThat(search.trials())
        .allSatisfy(
            t ->
                assertThat(t.trained().model().key())
                    .endsWith(String.format("/trial-%02d/model.bin", t.number())));
    Map<String, Long> perWorker =
        search.trials().stream()
            .collect(Collectors.groupingBy(Trial::worker, Collectors.counting()));
    assertThat(perWorker).as("trials per worker").hasSizeGreaterThanOrEqualTo(2);
    assertThat(workers.keySet()).containsAll(perWorker.keySet());
    assertThat(run.status().search())
        .as("the status query answers the same trials")
        .isEqualTo(search);

    // From the run's history: each trial scheduled once, and how many attempts each took.
    Map<Integer, Long> scheduledEvent = new HashMap<>();
    Map<Long, HistoryEvent> started = new HashMap<>();
    List<Integer> scheduledTrials = new ArrayList<>();
    for (HistoryEvent e : client.fetchHistory(workflowId).getHistory().getEventsList()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && e.getActivityTaskScheduledEventAttributes()
              .getActivityType()
              .getName()
              .equals("TrainModel")) {
        Matcher m =
            TRIAL_RUN_ID.matcher(
                e.getActivityTaskScheduledEventAttributes()
                    .getInput()
                    .getPayloads(0)
                    .getData()
                    .toStringUtf8());
        assertThat(m.find()).as("a trial's run id in its TrainModel input").isTrue();
        int trial = Integer.parseInt(m.group(1));
        scheduledTrials.add(trial);
        scheduledEvent.put(trial, e.getEventId());
      }
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        started.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), e);
      }
    }
    assertThat(scheduledTrials)
        .as("each trial scheduled once")
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9);
    Map<Integer, Integer> attempts = new HashMap<>();
    scheduledEvent.forEach(
        (trial, event) ->
            attempts.put(
                trial, started.get(event).getActivityTaskStartedEventAttributes().getAttempt()));

    List<Trial> finishedBeforeKill =
        atKill.get().trials().stream().filter(t -> t.state() == TrialState.SUCCEEDED).toList();
    assertThat(finishedBeforeKill).extracting(Trial::worker).contains(victim);
    for (Trial before : finishedBeforeKill) {
      Trial after = search.trials().get(before.number() - 1);
      assertThat(after.trained())
          .as("trial %d kept as it was", before.number())
          .isEqualTo(before.trained());
      assertThat(attempts.get(before.number()))
          .as("attempts of finished trial %d", before.number())
          .isEqualTo(1);
    }
    List<Integer> retried =
        attempts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    assertThat(retried).as("the trial in flight on the killed worker trained again").isNotEmpty();
    for (int trial : retried) {
      assertThat(search.trials().get(trial - 1).worker())
          .as("trial %d retried on a survivor", trial)
          .isNotEqualTo(victim);
    }
  }

  /** Identities of the workers polling {@code queue} for tasks of {@code type}. */
  private static List<String> pollers(WorkflowClient client, String queue, TaskQueueType type) {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeTaskQueue(
            DescribeTaskQueueRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setTaskQueue(TaskQueue.newBuilder().setName(queue))
                .setTaskQueueType(type)
                .build())
        .getPollersList()
        .stream()
        .map(PollerInfo::getIdentity)
        .toList();
  }

  /** Identities of the workers training a trial of the run now (its started TrainModel tasks). */
  private static List<String> trainingNow(WorkflowClient client, String workflowId) {
    var described =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setExecution(
                        io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(workflowId))
                    .build());
    return described.getPendingActivitiesList().stream()
        .filter(a -> a.getActivityType().getName().equals("TrainModel"))
        .filter(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
        .map(PendingActivityInfo::getLastWorkerIdentity)
        .toList();
  }

  /**
   * A worker in a JVM of its own, set up as the stack's in-process worker would be, training one
   * trial at a time. Keyed by the identity it reports to the server ({@code pid@host}).
   */
  private void startWorker(DevStack stack, String name) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.perennial.worker.WorkerApplication");
    for (Map.Entry<String, Object> p : stack.workerProperties().entrySet()) {
      command.add("--" + p.getKey() + "=" + p.getValue());
    }
    command.add("--perennial.training-concurrency=1");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("worker-" + name + ".log").toFile())
            .start();
    workers.put(process.pid() + "@" + java.net.InetAddress.getLocalHost().getHostName(), process);
  }

  private String workerLogs() {
    StringBuilder all = new StringBuilder("\nworkers: " + workers.keySet());
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("worker-")).toList()) {
        String text = Files.readString(f);
        all.append("\n--- ")
            .append(f.getFileName())
            .append(" ---\n")
            .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
      }
    } catch (java.io.IOException e) {
      all.append("\n(worker logs unreadable: ").append(e).append(')');
    }
    return all.toString();
  }
}
