package dev.perennial.starter.ops;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On Temporal's Java test server, which has no Schedules API: every schedule operation says so with
 * {@link Schedules.Unsupported}.
 */
class SchedulesOnTestServerTest {
  static final SchedulePlan WEEKLY =
      new SchedulePlan(
          ContinuousTrainingWorkflow.TYPE,
          "weekly",
          Map.of("model", "weekly", "trigger", "SCHEDULE"),
          "0 2 * * MON",
          ZoneId.of("Europe/Berlin"),
          ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP,
          Duration.ofDays(1),
          Duration.ZERO);

  TestWorkflowEnvironment env;
  WorkflowClient client;
  Schedules schedules;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    env.start();
    client = env.getWorkflowClient();
    schedules = new Schedules(client);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void everyScheduleOperationIsUnsupported() {
    String id = WEEKLY.scheduleId();
    assertThatThrownBy(() -> schedules.createOrUpdate(WEEKLY))
        .isInstanceOf(Schedules.Unsupported.class);
    assertThatThrownBy(() -> schedules.list()).isInstanceOf(Schedules.Unsupported.class);
    assertThatThrownBy(() -> schedules.describe(id)).isInstanceOf(Schedules.Unsupported.class);
    assertThatThrownBy(() -> schedules.pause(id, "why")).isInstanceOf(Schedules.Unsupported.class);
    assertThatThrownBy(() -> schedules.trigger(id)).isInstanceOf(Schedules.Unsupported.class);
    assertThatThrownBy(
            () ->
                schedules.backfill(
                    id,
                    Instant.parse("2026-01-05T00:00:00Z"),
                    Instant.parse("2026-01-06T00:00:00Z"),
                    ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL))
        .isInstanceOf(Schedules.Unsupported.class);
    assertThatThrownBy(() -> schedules.delete(id)).isInstanceOf(Schedules.Unsupported.class);
  }
}
