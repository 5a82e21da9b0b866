package dev.perennial.starter.ops;

import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import io.temporal.common.SearchAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Scheduled runs of a pipeline as Temporal Schedules, one per model and pipeline type (schedule id
 * {@code <kebab-case type>-<model>}, for ContinuousTraining {@code continuous-training-<model>}),
 * and the cron-workflow fallback for servers without the Schedules API.
 *
 * <p>Every operation throws {@link Unsupported} when the server has no Schedules API (Temporal's
 * Java test server) and {@link Refused} when the server rejects the arguments; other failures
 * (unreachable server, missing schedule) propagate as the SDK throws them.
 */
public final class Schedules {
  private final WorkflowClient client;
  private final ScheduleClient schedules;

  /** Schedules of {@code client}'s server, in its namespace. */
  public Schedules(WorkflowClient client) {
    this.client = client;
    this.schedules =
        ScheduleClient.newInstance(
            client.getWorkflowServiceStubs(),
            ScheduleClientOptions.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .build());
  }

  /** The server has no Schedules API; {@code create --cron-workflow} is the fallback. */
  public static final class Unsupported extends RuntimeException {
    Unsupported(Throwable cause) {
      super("this Temporal server has no Schedules API", cause);
    }
  }

  /** The server refused the schedule's arguments; {@link #reason()} is its own description. */
  public static final class Refused extends RuntimeException {
    private final String reason;

    Refused(String reason, Throwable cause) {
      super("Temporal refused the schedule: " + reason, cause);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /** Whether {@link #createOrUpdate} made a new schedule or replaced an existing one's. */
  public enum Saved {
    CREATED,
    UPDATED
  }

  /** Creates the plan's schedule, or replaces the schedule of that id when it exists. */
  public Saved createOrUpdate(SchedulePlan plan) {
    String id = plan.scheduleId();
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(action(plan.workflowType(), id, plan.model(), plan.input()))
            .setSpec(
                ScheduleSpec.newBuilder()
                    .setCronExpressions(List.of(plan.cron()))
                    .setTimeZoneName(plan.zone().getId())
                    .setJitter(plan.jitter())
                    .build())
            .setPolicy(
                SchedulePolicy.newBuilder()
                    .setOverlap(plan.overlap())
                    .setCatchupWindow(plan.catchupWindow())
                    .build())
            .setState(ScheduleState.newBuilder().setNote(plan.note()).build())
            .build();
    return call(
        () -> {
          try {
            schedules.createSchedule(
                id,
                schedule,
                ScheduleOptions.newBuilder()
                    .setMemo(Map.of("model", plan.model(), "workflowType", plan.workflowType()))
                    .setTypedSearchAttributes(
                        SearchAttributes.newBuilder()
                            .set(PerennialSearchAttributes.MODEL, plan.model())
                            .build())
                    .build());
            return Saved.CREATED;
          } catch (ScheduleAlreadyRunningException e) {
            schedules.getHandle(id).update(input -> new ScheduleUpdate(schedule));
            return Saved.UPDATED;
          }
        });
  }

  /**
   * The fallback without Schedules: starts the plan's pipeline as a cron workflow (its overlap,
   * catch-up window and jitter do not apply) and returns its workflow id, {@code <schedule
   * id>-cron}.
   */
  public String startCronWorkflow(SchedulePlan plan) {
    String id = plan.scheduleId() + "-cron";
    return call(
        () -> {
          client
              .newUntypedWorkflowStub(
                  plan.workflowType(),
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(id)
                      .setTaskQueue(TaskQueues.PIPELINES)
                      .setCronSchedule("CRON_TZ=" + plan.zone().getId() + " " + plan.cron())
                      .build())
              .start(plan.input());
          return id;
        });
  }

  /**
   * The pipeline schedules: those made by {@link #createOrUpdate} (model and type in their memo)
   * and older ones known by their ContinuousTraining id; other schedules are left out.
   */
  public List<ScheduleSummary> list() {
    return call(
        () -> {
          List<ScheduleSummary> found = new ArrayList<>();
          String prefix = ContinuousTrainingWorkflow.workflowId("");
          schedules
              .listSchedules()
              .forEach(
                  s -> {
                    String model = s.getMemo("model", String.class, String.class);
                    String type = s.getMemo("workflowType", String.class, String.class);
                    if (model == null && s.getScheduleId().startsWith(prefix)) {
                      model = s.getScheduleId().substring(prefix.length());
                      type = ContinuousTrainingWorkflow.TYPE;
                    }
                    if (model == null) {
                      return;
                    }
                    ScheduleDescription d = schedules.getHandle(s.getScheduleId()).describe();
                    List<Instant> next = d.getInfo().getNextActionTimes();
                    found.add(
                        new ScheduleSummary(
                            s.getScheduleId(),
                            model,
                            type,
                            d.getSchedule().getState().isPaused(),
                            next.isEmpty() ? null : next.get(0),
                            d.getInfo().getRecentActions().size()));
                  });
          return found;
        });
  }

  /** The schedule {@code id} as the server has it. */
  public ScheduleDetails describe(String id) {
    return call(
        () -> {
          ScheduleDescription d = schedules.getHandle(id).describe();
          var s = d.getSchedule();
          var info = d.getInfo();
          return new ScheduleDetails(
              d.getId(),
              s.getState().getNote(),
              s.getSpec().getTimeZoneName(),
              s.getPolicy().getOverlap(),
              s.getPolicy().getCatchupWindow(),
              s.getSpec().getJitter(),
              s.getState().isPaused(),
              info.getNumActions(),
              info.getNumActionsSkippedOverlap(),
              info.getNumActionsMissedCatchupWindow(),
              info.getRecentActions().stream()
                  .map(
                      a ->
                          new ScheduleDetails.Ran(
                              String.valueOf(
                                  a.getAction() instanceof ScheduleActionExecutionStartWorkflow w
                                      ? w.getWorkflowId()
                                      : a.getAction()),
                              a.getStartedAt()))
                  .toList(),
              List.copyOf(info.getNextActionTimes()));
        });
  }

  public void pause(String id, String note) {
    on(id, schedule -> schedule.pause(note));
  }

  public void unpause(String id, String note) {
    on(id, schedule -> schedule.unpause(note));
  }

  /** Takes the schedule's action now. */
  public void trigger(String id) {
    on(id, ScheduleHandle::trigger);
  }

  /** Takes the actions the schedule would have taken from {@code start} to {@code end}. */
  public void backfill(String id, Instant start, Instant end, ScheduleOverlapPolicy overlap) {
    on(id, schedule -> schedule.backfill(List.of(new ScheduleBackfill(start, end, overlap))));
  }

  /** Deletes the schedule; runs it started go on. */
  public void delete(String id) {
    on(id, ScheduleHandle::delete);
  }

  private void on(String id, Consumer<ScheduleHandle> action) {
    call(
        () -> {
          action.accept(schedules.getHandle(id));
          return null;
        });
  }

  /** Each action starts {@code workflowType} with {@code input} under {@code id} plus its time. */
  private static ScheduleActionStartWorkflow action(
      String workflowType, String id, String model, Object input) {
    return ScheduleActionStartWorkflow.newBuilder()
        .setWorkflowType(workflowType)
        .setArguments(input)
        .setOptions(
            WorkflowOptions.newBuilder()
                // The server appends each action's time to this id.
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.PIPELINES)
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(PerennialSearchAttributes.MODEL, model)
                        .set(PerennialSearchAttributes.TRIGGER, Trigger.SCHEDULE.name())
                        .build())
                .build())
        .build();
  }

  /** Runs {@code work}, turning the server's UNIMPLEMENTED and INVALID_ARGUMENT into ours. */
  private static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      // The SDK wraps the server's answer (ScheduleException around a gRPC status).
      StatusRuntimeException grpc = Causes.find(e, StatusRuntimeException.class);
      if (grpc != null && grpc.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw new Unsupported(e);
      }
      if (grpc != null && grpc.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        throw new Refused(grpc.getStatus().getDescription(), e);
      }
      throw e;
    }
  }
}
