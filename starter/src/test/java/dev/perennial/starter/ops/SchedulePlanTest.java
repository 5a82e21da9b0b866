package dev.perennial.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plan names its schedule by pipeline type and model, and its note says the cron as given. */
class SchedulePlanTest {
  static SchedulePlan plan(String type, String cron, String zone) {
    return new SchedulePlan(
        type,
        "weekly",
        Map.of("model", "weekly"),
        cron,
        ZoneId.of(zone),
        ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP,
        Duration.ofDays(1),
        Duration.ZERO);
  }

  @Test
  void continuousTrainingRetrains() {
    SchedulePlan p = plan(ContinuousTrainingWorkflow.TYPE, "0 2 * * MON", "Europe/Berlin");
    assertThat(p.scheduleId()).isEqualTo("continuous-training-weekly");
    assertThat(p.note()).isEqualTo("retrain weekly on \"0 2 * * MON\" Europe/Berlin");
  }

  @Test
  void anotherPipelineRunsUnderItsOwnName() {
    SchedulePlan p = plan("ApprovedForest", "0 4 * * *", "UTC");
    assertThat(p.scheduleId()).isEqualTo("approved-forest-weekly");
    assertThat(p.note()).isEqualTo("run ApprovedForest for weekly on \"0 4 * * *\" UTC");
  }
}
