package dev.perennial.starter.cli;

import dev.perennial.starter.ops.Causes;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.starter.stack.Endpoints;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.training.Hyperparameters;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
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
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code perennial schedule}: weekly (or any cron) retraining as Temporal Schedules, one per model
 * (schedule id {@code continuous-training-<model>}), visible on the UI's Schedules page.
 */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = "Manage scheduled retraining (Temporal Schedules), one schedule per model.",
    subcommands = {
      ScheduleCommand.Create.class,
      ScheduleCommand.ListSchedules.class,
      ScheduleCommand.Describe.class,
      ScheduleCommand.Pause.class,
      ScheduleCommand.Unpause.class,
      ScheduleCommand.TriggerNow.class,
      ScheduleCommand.Backfill.class,
      ScheduleCommand.Delete.class
    })
final class ScheduleCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs {@code work} with a schedule client; explains a server without the Schedules API. */
  static int withClient(
      CliConnection connection, CommandLine.Model.CommandSpec spec, ScheduleWork work) {
    PrintWriter out = spec.commandLine().getOut();
    try {
      Endpoints e = connection.endpoints();
      WorkflowClient client = connection.workflowClient();
      ScheduleClient schedules =
          ScheduleClient.newInstance(
              client.getWorkflowServiceStubs(),
              ScheduleClientOptions.newBuilder().setNamespace(e.namespace()).build());
      return work.run(schedules, client);
    } catch (RuntimeException e) {
      // The SDK wraps the server's answer (ScheduleException around a gRPC status).
      StatusRuntimeException grpc = Causes.find(e, StatusRuntimeException.class);
      if (grpc != null && grpc.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "error: this Temporal server has no Schedules API (the embedded Java test server"
                + " lacks it).");
        err.println(
            "  Use the real dev server (infra/local/install-servers.sh, then ./perennial up) or a"
                + " Temporal cluster.");
        err.println(
            "  Fallback without Schedules: `perennial schedule create ... --cron-workflow` starts"
                + " a cron workflow instead (no pause, backfill or Schedules page).");
        err.flush();
        return PerennialCommand.FAILED;
      }
      if (grpc != null && grpc.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        // Otherwise all that shows is the SDK's "Schedule exception".
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: Temporal refused the schedule: " + grpc.getStatus().getDescription());
        err.flush();
        return PerennialCommand.FAILED;
      }
      throw e;
    } finally {
      connection.close();
      out.flush();
    }
  }

  interface ScheduleWork {
    int run(ScheduleClient schedules, WorkflowClient client);
  }

  /**
   * The options every subcommand takes: the model, and the pipeline its schedule starts, which
   * together name the schedule ({@code <kebab-case type>-<model>}, for ContinuousTraining {@code
   * continuous-training-<model>}).
   */
  static class ModelOption {
    @Option(names = "--model", required = true, description = "Model name.")
    String model;

    @Option(
        names = "--workflow-type",
        paramLabel = "TYPE",
        defaultValue = ContinuousTrainingWorkflow.TYPE,
        description =
            "The pipeline the schedule starts (default: ${DEFAULT-VALUE}); it names the schedule:"
                + " <kebab-case type>-<model>.")
    String workflowType;

    String scheduleId() {
      return PipelineRuns.workflowId(workflowType, model);
    }
  }

  abstract static class Sub implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin CliConnection connection;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    int withClient(ScheduleWork work) {
      return ScheduleCommand.withClient(connection, spec, work);
    }

    /** Does {@code action} to the model's schedule and reports it as "{@code done} <id>". */
    int onSchedule(
        ModelOption model, String done, java.util.function.Consumer<ScheduleHandle> action) {
      return withClient(
          (schedules, client) -> {
            action.accept(schedules.getHandle(model.scheduleId()));
            out().printf("%s %s%n", done, model.scheduleId());
            return 0;
          });
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create the model's retraining schedule, or update it when it exists.",
        "Each action starts ContinuousTraining (or --workflow-type) with trigger SCHEDULE."
      })
  static final class Create extends Sub {
    @Mixin ModelOption model;

    @Option(
        names = "--cron",
        required = true,
        converter = OptionTypes.CronConverter.class,
        description = "Cron expression, e.g. \"0 2 * * MON\" (02:00 every Monday).")
    String cron;

    @Option(
        names = "--timezone",
        defaultValue = "UTC",
        converter = OptionTypes.ZoneConverter.class,
        description = "IANA time zone of the cron (default: ${DEFAULT-VALUE}).")
    ZoneId zone;

    @Option(
        names = "--overlap",
        defaultValue = "skip",
        converter = OptionTypes.OverlapConverter.class,
        description =
            "When a run is still going: skip, buffer-one, allow-all or cancel-other (default: ${DEFAULT-VALUE}).")
    ScheduleOverlapPolicy policy;

    @Option(
        names = "--catchup-window",
        defaultValue = "1d",
        converter = OptionTypes.DurationConverter.class,
        description =
            "How late a missed action may still run, e.g. 1d, 6h, PT6H (default: ${DEFAULT-VALUE}).")
    Duration catchup;

    @Option(
        names = "--jitter",
        defaultValue = "0s",
        converter = OptionTypes.DurationConverter.class,
        description = "Random delay up to this, e.g. 10m (default: ${DEFAULT-VALUE}).")
    Duration jitter;

    @Option(
        names = "--last-days",
        description = "Train on the latest N daily partitions (default 30).")
    Integer lastDays;

    @Option(
        names = {"--algorithm", "--trainer"},
        converter = TrainerName.class,
        description =
            "The trainer: GRADIENT_BOOSTING (default), RANDOM_FOREST, LOGISTIC_REGRESSION,"
                + " ADABOOST, DECISION_TREE, or a plug-in trainer's name.")
    String algorithm;

    @Option(
        names = "--input",
        paramLabel = "JSON|@FILE",
        converter = PipelineInput.Converter.class,
        description =
            "The runs' input: one JSON object, inline or @file.json; --model is set as its model"
                + " and trigger SCHEDULE unless it names one.")
    com.fasterxml.jackson.databind.node.ObjectNode input;

    @Option(
        names = "--cron-workflow",
        description = "Fallback for servers without Schedules: start a cron workflow instead.")
    boolean cronWorkflow;

    @Override
    public Integer call() {
      PrintWriter out = out();
      List<String> problems = new java.util.ArrayList<>();
      Object request = scheduledInput(problems);
      Integer refused = PerennialCommand.refuse(problems, spec.commandLine().getErr());
      if (refused != null) {
        return refused;
      }
      String id = model.scheduleId();
      if (cronWorkflow) {
        return withClient((schedules, client) -> startCronWorkflow(client, id, request, zone, out));
      }
      Schedule schedule =
          Schedule.newBuilder()
              .setAction(action(model.workflowType, id, model.model, request))
              .setSpec(
                  ScheduleSpec.newBuilder()
                      .setCronExpressions(List.of(cron))
                      .setTimeZoneName(zone.getId())
                      .setJitter(jitter)
                      .build())
              .setPolicy(
                  SchedulePolicy.newBuilder().setOverlap(policy).setCatchupWindow(catchup).build())
              .setState(
                  ScheduleState.newBuilder()
                      .setNote(
                          (isDefaultType() ? "retrain " : "run " + model.workflowType + " for ")
                              + model.model
                              + " on \""
                              + cron
                              + "\" "
                              + zone.getId())
                      .build())
              .build();
      return withClient(
          (schedules, client) -> {
            try {
              schedules.createSchedule(
                  id,
                  schedule,
                  ScheduleOptions.newBuilder()
                      .setMemo(Map.of("model", model.model, "workflowType", model.workflowType))
                      .setTypedSearchAttributes(
                          SearchAttributes.newBuilder()
                              .set(PerennialSearchAttributes.MODEL, model.model)
                              .build())
                      .build());
              out.printf("Created schedule %s: \"%s\" %s%n", id, cron, zone.getId());
            } catch (ScheduleAlreadyRunningException e) {
              schedules.getHandle(id).update(input -> new ScheduleUpdate(schedule));
              out.printf("Updated schedule %s: \"%s\" %s%n", id, cron, zone.getId());
            }
            printNext(schedules.getHandle(id).describe(), out);
            return 0;
          });
    }

    private boolean isDefaultType() {
      return ContinuousTrainingWorkflow.TYPE.equals(model.workflowType);
    }

    /**
     * What each action starts the pipeline with: for {@code ContinuousTraining} the request of the
     * typed options (on top of {@code --input}, checked); for another type the input object with
     * the model and trigger SCHEDULE.
     */
    Object scheduledInput(List<String> problems) {
      problems.addAll(PipelineRuns.typeProblems("--workflow-type", model.workflowType));
      if (!problems.isEmpty()) {
        return null;
      }
      if (isDefaultType() && input == null) {
        ContinuousTrainingRequest request = request(model.model, lastDays, algorithm);
        problems.addAll(request.problems());
        return request;
      }
      var merged = PipelineInput.withModel(input, model.model, problems);
      if (!merged.hasNonNull("trigger")) {
        merged.put("trigger", Trigger.SCHEDULE.name());
      }
      if (!isDefaultType()) {
        if (lastDays != null || algorithm != null) {
          problems.add(
              "--last-days and --algorithm shape a ContinuousTraining request; for "
                  + model.workflowType
                  + " put them in --input");
        }
        return merged;
      }
      if (!merged.hasNonNull("note")) {
        merged.put("note", "scheduled retraining");
      }
      ContinuousTrainingRequest given = PipelineInput.asContinuousTraining(merged, problems);
      if (given == null) {
        return null;
      }
      DatasetSpec dataset =
          lastDays == null
              ? given.dataset()
              : given.dataset() == null
                  ? new DatasetSpec(null, null, null, null, lastDays, null)
                  : new DatasetSpec(
                      given.dataset().bucket(),
                      given.dataset().prefix(),
                      given.dataset().from(),
                      given.dataset().to(),
                      lastDays,
                      given.dataset().schemaKey());
      ContinuousTrainingRequest request =
          new ContinuousTrainingRequest(
              given.model(),
              given.trigger(),
              dataset,
              algorithm == null ? given.hyperparameters() : Hyperparameters.of(algorithm),
              given.validation(),
              given.gate(),
              given.holdoutDays(),
              given.promoteOnPass(),
              given.note(),
              given.rollout(),
              given.canary(),
              given.driftReport());
      problems.addAll(request.problems());
      return request;
    }

    private int startCronWorkflow(
        WorkflowClient client, String scheduleId, Object request, ZoneId zone, PrintWriter out) {
      String id = scheduleId + "-cron";
      WorkflowStub wf =
          client.newUntypedWorkflowStub(
              model.workflowType,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(id)
                  .setTaskQueue(TaskQueues.PIPELINES)
                  .setCronSchedule("CRON_TZ=" + zone.getId() + " " + cron)
                  .build());
      wf.start(request);
      out.printf(
          "Started cron workflow %s: \"%s\" %s. Stop it with: temporal workflow terminate"
              + " --workflow-id %s%n",
          id, cron, zone.getId(), id);
      return 0;
    }
  }

  static ContinuousTrainingRequest request(String model, Integer lastDays, String algorithm) {
    DatasetSpec dataset =
        lastDays == null ? null : new DatasetSpec(null, null, null, null, lastDays, null);
    Hyperparameters hp = algorithm == null ? null : Hyperparameters.of(algorithm);
    return new ContinuousTrainingRequest(
        model,
        Trigger.SCHEDULE,
        dataset,
        hp,
        null,
        null,
        null,
        null,
        "scheduled retraining",
        null,
        null,
        null);
  }

  static ScheduleActionStartWorkflow action(ContinuousTrainingRequest request) {
    return action(
        ContinuousTrainingWorkflow.TYPE,
        ContinuousTrainingWorkflow.workflowId(request.model()),
        request.model(),
        request);
  }

  /** Each action starts {@code workflowType} with {@code input} under {@code id} plus its time. */
  static ScheduleActionStartWorkflow action(
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

  static void printNext(ScheduleDescription d, PrintWriter out) {
    var next = d.getInfo().getNextActionTimes();
    out.printf(
        "  next runs: %s%n",
        next.isEmpty()
            ? "none"
            : String.join(", ", next.stream().limit(3).map(Instant::toString).toList()));
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List retraining schedules.")
  static final class ListSchedules extends Sub {
    @Override
    public Integer call() {
      PrintWriter out = out();
      return withClient(
          (schedules, client) -> {
            TextTable table =
                new TextTable("schedule", "model", "pipeline", "paused", "next run", "recent runs");
            schedules
                .listSchedules()
                .forEach(
                    s -> {
                      // Schedules made by `schedule create` carry model and type in their memo;
                      // older ones only their ContinuousTraining id.
                      String model = s.getMemo("model", String.class, String.class);
                      String type = s.getMemo("workflowType", String.class, String.class);
                      String prefix = ContinuousTrainingWorkflow.workflowId("");
                      if (model == null && s.getScheduleId().startsWith(prefix)) {
                        model = s.getScheduleId().substring(prefix.length());
                        type = ContinuousTrainingWorkflow.TYPE;
                      }
                      if (model == null) {
                        return;
                      }
                      var d = schedules.getHandle(s.getScheduleId()).describe();
                      var next = d.getInfo().getNextActionTimes();
                      table.row(
                          s.getScheduleId(),
                          model,
                          type,
                          d.getSchedule().getState().isPaused() ? "yes" : "no",
                          next.isEmpty() ? null : next.get(0),
                          d.getInfo().getRecentActions().size());
                    });
            table.print(out);
            return 0;
          });
    }
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = "Show a model's schedule.")
  static final class Describe extends Sub {
    @Mixin ModelOption model;

    @Override
    public Integer call() {
      PrintWriter out = out();
      return withClient(
          (schedules, client) -> {
            ScheduleDescription d = schedules.getHandle(model.scheduleId()).describe();
            var s = d.getSchedule();
            out.printf("Schedule %s%n", d.getId());
            // The server keeps cron strings as calendar specs; the note says what was asked.
            out.printf(
                "  spec:      %s (time zone %s)%n",
                s.getState().getNote(), s.getSpec().getTimeZoneName());
            out.printf(
                "  overlap:   %s, catch-up window %s, jitter %s%n",
                s.getPolicy().getOverlap(),
                s.getPolicy().getCatchupWindow(),
                s.getSpec().getJitter());
            out.printf("  paused:    %s%n", s.getState().isPaused() ? "yes" : "no");
            out.printf(
                "  actions:   %d taken, %d skipped for overlap, %d missed%n",
                d.getInfo().getNumActions(),
                d.getInfo().getNumActionsSkippedOverlap(),
                d.getInfo().getNumActionsMissedCatchupWindow());
            d.getInfo()
                .getRecentActions()
                .forEach(
                    a ->
                        out.printf(
                            "  ran:       %s at %s%n",
                            a.getAction() instanceof ScheduleActionExecutionStartWorkflow w
                                ? w.getWorkflowId()
                                : a.getAction(),
                            a.getStartedAt()));
            printNext(d, out);
            return 0;
          });
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pause a model's schedule.")
  static final class Pause extends Sub {
    @Mixin ModelOption model;

    @Option(names = "--note", defaultValue = "paused from the command line", description = "Why.")
    String note;

    @Override
    public Integer call() {
      return onSchedule(model, "Paused", schedule -> schedule.pause(note));
    }
  }

  @Command(
      name = "unpause",
      mixinStandardHelpOptions = true,
      description = "Resume a model's schedule.")
  static final class Unpause extends Sub {
    @Mixin ModelOption model;

    @Override
    public Integer call() {
      return onSchedule(
          model, "Unpaused", schedule -> schedule.unpause("resumed from the command line"));
    }
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Run a model's scheduled retraining now.")
  static final class TriggerNow extends Sub {
    @Mixin ModelOption model;

    @Override
    public Integer call() {
      return onSchedule(model, "Triggered", ScheduleHandle::trigger);
    }
  }

  @Command(
      name = "backfill",
      mixinStandardHelpOptions = true,
      description = "Take the actions the schedule would have taken between two times.")
  static final class Backfill extends Sub {
    @Mixin ModelOption model;

    @Option(
        names = "--from",
        required = true,
        converter = OptionTypes.DateOrInstantConverter.class,
        description = "Start: ISO date (UTC midnight) or instant.")
    Instant start;

    @Option(
        names = "--to",
        required = true,
        converter = OptionTypes.DateOrInstantConverter.class,
        description = "End: ISO date (UTC midnight) or instant.")
    Instant end;

    @Option(
        names = "--overlap",
        defaultValue = "allow-all",
        converter = OptionTypes.OverlapConverter.class,
        description = "Overlap policy for the backfilled runs (default: ${DEFAULT-VALUE}).")
    ScheduleOverlapPolicy policy;

    @Override
    public Integer call() {
      if (!end.isAfter(start)) {
        throw new ParameterException(
            spec.commandLine(), "--to (" + end + ") must be after --from (" + start + ")");
      }
      return withClient(
          (schedules, client) -> {
            schedules
                .getHandle(model.scheduleId())
                .backfill(List.of(new ScheduleBackfill(start, end, policy)));
            out().printf("Backfilling %s from %s to %s%n", model.scheduleId(), start, end);
            return 0;
          });
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a model's schedule (runs already started go on).")
  static final class Delete extends Sub {
    @Mixin ModelOption model;

    @Override
    public Integer call() {
      return onSchedule(model, "Deleted", ScheduleHandle::delete);
    }
  }
}
