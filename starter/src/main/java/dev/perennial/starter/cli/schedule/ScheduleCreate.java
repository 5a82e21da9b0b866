package dev.perennial.starter.cli.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.cli.OptionTypes;
import dev.perennial.starter.cli.PipelineInput;
import dev.perennial.starter.cli.TrainerName;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.starter.ops.SchedulePlan;
import dev.perennial.starter.ops.Schedules;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code perennial schedule create}: the model's schedule, made or replaced; with {@code
 * --cron-workflow} a cron workflow instead, for servers without the Schedules API.
 */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create the model's retraining schedule, or update it when it exists.",
      "Each action starts ContinuousTraining (or --workflow-type) with trigger SCHEDULE."
    })
final class ScheduleCreate extends ScheduleSubcommand {
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
  ObjectNode input;

  @Option(
      names = "--cron-workflow",
      description = "Fallback for servers without Schedules: start a cron workflow instead.")
  boolean cronWorkflow;

  @Override
  public Integer call() {
    PrintWriter out = out();
    List<String> problems = new ArrayList<>();
    Object request = scheduledInput(problems);
    Integer refused = Exit.refuse(problems, spec.commandLine().getErr());
    if (refused != null) {
      return refused;
    }
    SchedulePlan plan =
        new SchedulePlan(
            model.workflowType, model.model, request, cron, zone, policy, catchup, jitter);
    if (cronWorkflow) {
      return withSchedules(
          schedules -> {
            String id = schedules.startCronWorkflow(plan);
            out.printf(
                "Started cron workflow %s: \"%s\" %s. Stop it with: temporal workflow terminate"
                    + " --workflow-id %s%n",
                id, cron, zone.getId(), id);
            return 0;
          });
    }
    return withSchedules(
        schedules -> {
          Schedules.Saved saved = schedules.createOrUpdate(plan);
          out.printf(
              "%s schedule %s: \"%s\" %s%n",
              saved == Schedules.Saved.CREATED ? "Created" : "Updated",
              plan.scheduleId(),
              cron,
              zone.getId());
          ScheduleOutput.nextRuns(schedules.describe(plan.scheduleId()).nextRuns(), out);
          return 0;
        });
  }

  private boolean isDefaultType() {
    return ContinuousTrainingWorkflow.TYPE.equals(model.workflowType);
  }

  /**
   * What each action starts the pipeline with: for {@code ContinuousTraining} the request of the
   * typed options (on top of {@code --input}, checked); for another type the input object with the
   * model and trigger SCHEDULE.
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
        given.toBuilder()
            .dataset(dataset)
            .hyperparameters(
                algorithm == null ? given.hyperparameters() : Hyperparameters.of(algorithm))
            .build();
    problems.addAll(request.problems());
    return request;
  }

  private static ContinuousTrainingRequest request(
      String model, Integer lastDays, String algorithm) {
    ContinuousTrainingRequest.Builder request =
        ContinuousTrainingRequest.builder(model)
            .trigger(Trigger.SCHEDULE)
            .hyperparameters(algorithm == null ? null : Hyperparameters.of(algorithm))
            .note("scheduled retraining");
    return (lastDays == null ? request : request.lastDays(lastDays)).build();
  }
}
