package dev.perennial.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.perennial.starter.cli.RealServers;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.starter.stack.TemporalServer;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each schedule operation on the real Temporal dev server (infra/local/bin/temporal, on free
 * ports), with no worker: the actions start runs that wait on the pipelines task queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class SchedulesOnDevServerTest {
  TemporalServer server;
  WorkflowServiceStubs service;
  WorkflowClient client;
  Schedules schedules;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    RealServers.assumeInstalled();
    server =
        TemporalServer.start(
            dir,
            DevStack.freePort(),
            DevStack.freePort(),
            PerennialSearchAttributes.ALL.stream().map(k -> k.getName()).toList(),
            TemporalServer.findCli());
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
    client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    schedules = new Schedules(client);
  }

  @AfterAll
  void stop() throws Exception {
    if (service != null) {
      service.shutdown();
    }
    if (server != null) {
      server.close();
    }
  }

  static SchedulePlan plan(String type, String model, String cron, ZoneId zone) {
    return new SchedulePlan(
        type,
        model,
        Map.of("model", model, "trigger", "SCHEDULE"),
        cron,
        zone,
        ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE,
        Duration.ofDays(2),
        Duration.ofMinutes(10));
  }

  static SchedulePlan weekly(String model, String cron) {
    return plan(ContinuousTrainingWorkflow.TYPE, model, cron, ZoneId.of("Europe/Berlin"));
  }

  @Test
  void createdThenUpdatedAndDescribedAsAsked() {
    assertThat(schedules.createOrUpdate(weekly("made", "0 2 * * MON")))
        .isEqualTo(Schedules.Saved.CREATED);
    ScheduleDetails made = schedules.describe("continuous-training-made");
    assertThat(made.id()).isEqualTo("continuous-training-made");
    assertThat(made.note()).isEqualTo("retrain made on \"0 2 * * MON\" Europe/Berlin");
    assertThat(made.timeZone()).isEqualTo("Europe/Berlin");
    assertThat(made.overlap()).isEqualTo(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE);
    assertThat(made.catchupWindow()).isEqualTo(Duration.ofDays(2));
    assertThat(made.jitter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(made.paused()).isFalse();
    assertThat(made.actions()).isZero();
    assertThat(made.recent()).isEmpty();
    assertThat(made.nextRuns()).isNotEmpty().allMatch(t -> t.isAfter(Instant.now()));

    assertThat(schedules.createOrUpdate(weekly("made", "0 3 * * MON")))
        .isEqualTo(Schedules.Saved.UPDATED);
    assertThat(schedules.describe("continuous-training-made").note())
        .isEqualTo("retrain made on \"0 3 * * MON\" Europe/Berlin");
  }

  @Test
  void listShowsPipelineSchedulesOnly() {
    schedules.createOrUpdate(plan("ApprovedForest", "listed", "0 4 * * *", ZoneId.of("UTC")));
    // Made without memo: an older ContinuousTraining schedule, and somebody else's.
    ScheduleClient raw = ScheduleClient.newInstance(service);
    raw.createSchedule("continuous-training-legacy", bare(), ScheduleOptions.newBuilder().build());
    raw.createSchedule("nightly-backup", bare(), ScheduleOptions.newBuilder().build());

    List<ScheduleSummary> listed =
        await("visibility lists the three schedules")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> schedules.list(),
                l ->
                    l.stream()
                        .map(ScheduleSummary::id)
                        .toList()
                        .containsAll(
                            List.of("approved-forest-listed", "continuous-training-legacy")));
    ScheduleSummary forest = find(listed, "approved-forest-listed");
    assertThat(forest.model()).isEqualTo("listed");
    assertThat(forest.workflowType()).isEqualTo("ApprovedForest");
    assertThat(forest.paused()).isFalse();
    assertThat(forest.nextRun()).isAfter(Instant.now());
    assertThat(forest.recentRuns()).isZero();
    ScheduleSummary legacy = find(listed, "continuous-training-legacy");
    assertThat(legacy.model()).isEqualTo("legacy");
    assertThat(legacy.workflowType()).isEqualTo(ContinuousTrainingWorkflow.TYPE);
    assertThat(listed).extracting(ScheduleSummary::id).doesNotContain("nightly-backup");
  }

  @Test
  void pausedUnpausedTriggeredBackfilledAndDeleted() {
    String id = "continuous-training-acted";
    schedules.createOrUpdate(
        plan(ContinuousTrainingWorkflow.TYPE, "acted", "0 2 * * MON", ZoneId.of("UTC")));

    schedules.pause(id, "for the test");
    assertThat(schedules.describe(id).paused()).isTrue();
    schedules.unpause(id, "test done");
    assertThat(schedules.describe(id).paused()).isFalse();

    schedules.trigger(id);
    ScheduleDetails triggered =
        await("the triggered action is recorded")
            .atMost(Duration.ofSeconds(30))
            .until(() -> schedules.describe(id), d -> d.actions() == 1);
    assertThat(triggered.recent()).hasSize(1);
    assertThat(triggered.recent().get(0).action()).startsWith(id + "-");

    // 2026-01-05 is a Monday: one action at 02:00.
    schedules.backfill(
        id,
        Instant.parse("2026-01-05T00:00:00Z"),
        Instant.parse("2026-01-06T00:00:00Z"),
        ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);
    await("the backfilled action is taken")
        .atMost(Duration.ofSeconds(30))
        .until(() -> schedules.describe(id).actions() == 2);

    schedules.delete(id);
    assertThatThrownBy(() -> schedules.describe(id))
        .isNotInstanceOf(Schedules.Unsupported.class)
        .isNotInstanceOf(Schedules.Refused.class);
  }

  @Test
  void anInvalidCronIsRefusedWithTheServersReason() {
    assertThatThrownBy(() -> schedules.createOrUpdate(weekly("bad", "61 25 * * FOO")))
        .isInstanceOfSatisfying(Schedules.Refused.class, e -> assertThat(e.reason()).isNotBlank());
  }

  @Test
  void theCronWorkflowFallbackStartsThePipelineInTheCronsZone() {
    String id = schedules.startCronWorkflow(weekly("cron", "0 2 * * MON"));

    assertThat(id).isEqualTo("continuous-training-cron-cron");
    WorkflowExecutionStartedEventAttributes started =
        client
            .fetchHistory(id)
            .getHistory()
            .getEvents(0)
            .getWorkflowExecutionStartedEventAttributes();
    assertThat(started.getWorkflowType().getName()).isEqualTo(ContinuousTrainingWorkflow.TYPE);
    assertThat(started.getTaskQueue().getName()).isEqualTo(TaskQueues.PIPELINES);
    assertThat(started.getCronSchedule()).isEqualTo("CRON_TZ=Europe/Berlin 0 2 * * MON");
  }

  private static Schedule bare() {
    return Schedule.newBuilder()
        .setAction(
            ScheduleActionStartWorkflow.newBuilder()
                .setWorkflowType("Backup")
                .setOptions(
                    WorkflowOptions.newBuilder()
                        .setWorkflowId("backup")
                        .setTaskQueue("elsewhere")
                        .build())
                .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of("0 1 * * *")).build())
        .build();
  }

  private static ScheduleSummary find(List<ScheduleSummary> listed, String id) {
    return listed.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }
}
