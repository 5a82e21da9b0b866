package dev.perennial.workflows.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * New partitions land, and the watch starts one retraining per policy: never two at once, never for
 * the same days twice, across continue-as-new; it stops and checks when told.
 */
class DataWatchWorkflowTest extends DataWatchTestSupport {
  private static final String WHERE = "s3://perennial-data/credit-default/";

  @Test
  void eachNewDayStartsOneRetrainingAndAnOpenOneIsNotDoubled() throws Exception {
    land(3);
    start();
    DataWatchWorkflow watch = startWatch(request(policy("1h", null, null), null));
    settled(() -> watch.status().state().checks() == 1);

    DataWatchState baseline = watch.status().state();
    assertThat(baseline.lastActedOn()).as("the days already there").isEqualTo("2026-03-03");
    assertThat(baseline.pending()).isZero();
    assertThat(baseline.lastAction()).isEqualTo("no new partitions");
    assertThat(FakeTraining.requests).isEmpty();

    land(1); // 2026-03-04
    env.sleep(Duration.ofMinutes(90));

    assertThat(FakeTraining.requests).hasSize(1);
    String why = "1 new partition (2026-03-04) under " + WHERE;
    assertThat(FakeTraining.requests.get(0))
        .isEqualTo(
            ContinuousTrainingRequest.builder(MODEL)
                .trigger(Trigger.DATA)
                .dataset(
                    new DatasetSpec("perennial-data", "credit-default/", null, null, null, null))
                .note(why)
                .build());
    String first = retrainingRun();
    DataWatchState started = watch.status().state();
    assertThat(started.lastActedOn()).isEqualTo("2026-03-04");
    assertThat(started.retrainings()).isEqualTo(1);
    assertThat(started.lastRetrainingRun()).isEqualTo(first);
    assertThat(apart(started.lastCheckAt(), started.lastRetrainingAt(), Duration.ZERO)).isTrue();
    assertThat(started.lastAction()).isEqualTo("started retraining " + first + ": " + why);
    assertThat(started.pending()).as("counted before the start").isEqualTo(1);

    env.sleep(Duration.ofHours(1));
    assertThat(watch.status().state().lastAction()).isEqualTo("no new partitions");
    assertThat(watch.status().state().pending()).isZero();

    land(1); // 2026-03-05, while the first retraining runs
    env.sleep(Duration.ofHours(2));

    DataWatchState waiting = watch.status().state();
    assertThat(FakeTraining.requests).hasSize(1);
    assertThat(waiting.lastAction())
        .isEqualTo("retraining already running: " + RETRAINING_ID + "; 1 new partitions wait");
    assertThat(waiting.lastActedOn()).isEqualTo("2026-03-04");
    assertThat(waiting.pending()).isEqualTo(1);
    assertThat(waiting.pendingDays()).containsExactly("2026-03-05");
    assertThat(waiting.retrainings()).isEqualTo(1);

    finishRetraining();
    env.sleep(Duration.ofHours(1));

    assertThat(FakeTraining.requests).hasSize(2);
    assertThat(FakeTraining.requests.get(1).note())
        .isEqualTo("1 new partition (2026-03-05) under " + WHERE);
    DataWatchState second = watch.status().state();
    assertThat(second.retrainings()).isEqualTo(2);
    assertThat(second.lastActedOn()).isEqualTo("2026-03-05");
    assertThat(second.lastRetrainingRun()).isEqualTo(retrainingRun()).isNotEqualTo(first);
    assertThat(retrainingStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    var described = client.newUntypedWorkflowStub(WATCH_ID).describe();
    assertThat(described.getMemo(DataWatchWorkflowImpl.MEMO_ACTED_ON, String.class))
        .isEqualTo("2026-03-05");
    assertThat(described.getMemo(DataWatchWorkflowImpl.MEMO_RETRAINING, String.class))
        .isEqualTo(second.lastRetrainingRun());

    DataWatchResult result = stop(watch, "enough");
    assertThat(result.reason()).isEqualTo("enough");
    assertThat(result.state().checks()).isEqualTo(6);
    assertThat(result.state().retrainings()).isEqualTo(2);
    assertThat(watch.status().message()).isEqualTo("stopped after 6 checks: enough");
    record(null, "data-watch-retraining.json");
  }

  @Test
  void itWaitsForNDaysAndStartsAtMostOncePerInterval() throws Exception {
    land(1);
    start();
    DataWatchWorkflow watch = startWatch(request(policy("1h", 2, "90m"), null));
    settled(() -> watch.status().state().checks() == 1);

    land(1);
    env.sleep(Duration.ofMinutes(90)); // check at 1h
    assertThat(watch.status().state().lastAction())
        .isEqualTo("waiting for 1 more new partitions (1 of 2)");
    assertThat(watch.status().state().pending()).isEqualTo(1);
    assertThat(FakeTraining.requests).isEmpty();

    land(1);
    env.sleep(Duration.ofHours(1)); // check at 2h: two new days
    assertThat(FakeTraining.requests).hasSize(1);
    assertThat(FakeTraining.requests.get(0).note())
        .isEqualTo("2 new partitions (2026-03-02 to 2026-03-03) under " + WHERE);
    String firstAt = watch.status().state().lastRetrainingAt();

    finishRetraining();
    land(2);
    env.sleep(Duration.ofMinutes(40)); // check at 3h: two new days, but 90m have not passed
    Instant until = Instant.parse(firstAt).plus(Duration.ofMinutes(90));
    DataWatchStatus held = watch.status();
    assertThat(held.state().lastAction())
        .isEqualTo("at most one start per 90m: next from " + until + " (2 new partitions wait)");
    assertThat(held.nextCheckAt()).as("wakes when the interval ends").isEqualTo(until.toString());
    assertThat(FakeTraining.requests).hasSize(1);

    env.sleep(Duration.ofMinutes(40)); // past 3h30m
    assertThat(FakeTraining.requests).hasSize(2);
    DataWatchState after = watch.status().state();
    assertThat(apart(until.toString(), after.lastRetrainingAt(), Duration.ZERO))
        .as("started when the interval ended, not at the next poll")
        .isTrue();
    assertThat(after.lastActedOn()).isEqualTo("2026-03-05");
    assertThat(after.checks()).isEqualTo(5);
    stop(watch, null);
  }

  @Test
  void continuingAsNewKeepsTheLastPartitionActedOn() throws Exception {
    land(2);
    start(2);
    DataWatchWorkflow watch =
        client.newWorkflowStub(
            DataWatchWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WATCH_ID)
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
    // Both days are after "since": new at the first check, which starts a retraining at once.
    WorkflowExecution firstRun =
        WorkflowClient.start(
            watch::run,
            new DataWatchRequest(
                MODEL, null, null, "2026-02-28", policy("1h", null, null), null, null, null));
    settled(() -> FakeTraining.requests.size() == 1);
    assertThat(FakeTraining.requests.get(0).note())
        .isEqualTo("2 new partitions (2026-03-01 to 2026-03-02) under " + WHERE);
    String firstCheckAt = watch().status().state().lastCheckAt();
    finishRetraining();

    env.sleep(Duration.ofMinutes(150)); // check 2 at 1h ends the run; the next run checks at 2h
    String secondRun = client.newUntypedWorkflowStub(WATCH_ID).describe().getExecution().getRunId();
    assertThat(secondRun).isNotEqualTo(firstRun.getRunId());
    DataWatchState carried = watch().status().state();
    assertThat(carried.checks()).isEqualTo(3);
    assertThat(carried.lastActedOn()).isEqualTo("2026-03-02");
    assertThat(carried.retrainings()).isEqualTo(1);
    assertThat(carried.lastAction()).isEqualTo("no new partitions");
    assertThat(FakeTraining.requests).as("the same days are not retrained on again").hasSize(1);
    assertThat(queries.get(2).after()).isEqualTo("2026-03-02");
    assertThat(apart(firstCheckAt, carried.lastCheckAt(), Duration.ofHours(2)))
        .as("the continued run keeps the poll's pace")
        .isTrue();

    land(1);
    env.sleep(Duration.ofHours(1)); // check 4, in the second run
    assertThat(FakeTraining.requests).hasSize(2);
    assertThat(FakeTraining.requests.get(1).note())
        .isEqualTo("1 new partition (2026-03-03) under " + WHERE);
    assertThat(watch().status().state().retrainings()).isEqualTo(2);
    stop(watch(), null);
    record(firstRun.getRunId(), "data-watch-continued.json");
  }

  @Test
  void checkNowListsAtOnceAndAMalformedOneIsRefused() throws Exception {
    land(1);
    start();
    DataWatchWorkflow watch = startWatch(request(policy("1d", null, null), null));
    settled(() -> watch.status().state().checks() == 1);

    land(1);
    assertThat(watch.check(new Instruction("alice", "the 2nd landed")).by()).isEqualTo("alice");
    settled(() -> FakeTraining.requests.size() == 1);
    assertThat(watch.status().state().lastActedOn()).isEqualTo("2026-03-02");
    assertThatThrownBy(() -> watch.check(new Instruction(" ", null)))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("by: say who asks");

    land(1);
    finishRetraining();
    watch.checkNow("from the UI");
    settled(() -> FakeTraining.requests.size() == 2);
    assertThat(watch.status().state().checks()).isEqualTo(3);
    DataWatchResult result = stop(watch, "done");
    assertThat(result.state().lastActedOn()).isEqualTo("2026-03-03");
    record(null, "data-watch-check.json");
  }

  @Test
  void aBadPolicyIsRefusedNamingTheField() {
    DataWatchRequest bad =
        new DataWatchRequest(
            MODEL,
            null,
            "/credit-default/",
            "2026-02-30",
            policy("soon", 0, "-1s"),
            ContinuousTrainingRequest.builder("other").build(),
            "DriftMonitor",
            null);
    assertThat(bad.problems())
        .containsExactly(
            "prefix: must not start with '/': write it as the object keys begin, e.g. churn/",
            "since: must be an ISO date like 2026-01-31 (got '2026-02-30')",
            "workflowType: 'DriftMonitor' is no pipeline; give a pipeline's workflow type, e.g."
                + " ContinuousTraining",
            "retraining.model: must be left out or equal to model 'credit-default'",
            "policy.pollInterval: 'soon' is not a duration: write e.g. 90s, 15m, 2h, 7d or PT15M",
            "policy.minNewPartitions: must be from 1 to 3660 new daily partitions (got 0)",
            "policy.minInterval: '-1s' is not a duration: write e.g. 90s, 15m, 2h, 7d or PT15M");
    assertThat(policy("0s", null, null).problems("policy"))
        .containsExactly("policy.pollInterval: must be from 1s to 30d (got '0s')");
    assertThat(DataWatchRequest.of(MODEL).problems()).isEmpty();
  }

  @Test
  void aStartWithABadPolicyOrAnUnknownPrefixFailsSayingWhy() {
    start();
    DataWatchWorkflow refused = startWatch(request(policy("1h", 0, null), null));
    assertThatThrownBy(() -> WorkflowStub.fromTyped(refused).getResult(DataWatchResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
              assertThat(f.getOriginalMessage())
                  .isEqualTo(
                      "Invalid DataWatch request: policy.minNewPartitions: must be from 1 to 3660"
                          + " new daily partitions (got 0)");
            });

    unknownPrefix = true;
    DataWatchWorkflow unknown =
        client.newWorkflowStub(
            DataWatchWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("data-watch-nothing")
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
    WorkflowClient.start(unknown::run, DataWatchRequest.of("nothing"));
    assertThatThrownBy(() -> WorkflowStub.fromTyped(unknown).getResult(DataWatchResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f ->
                assertThat(f.getOriginalMessage())
                    .isEqualTo(
                        "DataWatch of nothing cannot watch s3://perennial-data/nothing/: nothing"
                            + " under s3://perennial-data/nothing/"));
  }

  private static DataWatchRequest request(DataWatchPolicy policy, String since) {
    return new DataWatchRequest(MODEL, null, null, since, policy, null, null, null);
  }
}
