package dev.perennial.starter.ops;

import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.time.ZoneId;

/**
 * What a schedule starts and when.
 *
 * @param workflowType the pipeline each action starts
 * @param input its one argument
 * @param cron a five-field cron expression
 * @param zone the cron's time zone
 * @param overlap what to do when an action is due while a run still goes
 * @param catchupWindow how late a missed action may still run
 * @param jitter a random delay up to this for each action
 */
public record SchedulePlan(
    String workflowType,
    String model,
    Object input,
    String cron,
    ZoneId zone,
    ScheduleOverlapPolicy overlap,
    Duration catchupWindow,
    Duration jitter) {
  /** The schedule's id: {@code <kebab-case type>-<model>}. */
  public String scheduleId() {
    return PipelineRuns.workflowId(workflowType, model);
  }

  /** The schedule's note, which says the cron as given (the server keeps calendar specs). */
  public String note() {
    return (ContinuousTrainingWorkflow.TYPE.equals(workflowType)
            ? "retrain "
            : "run " + workflowType + " for ")
        + model
        + " on \""
        + cron
        + "\" "
        + zone.getId();
  }
}
