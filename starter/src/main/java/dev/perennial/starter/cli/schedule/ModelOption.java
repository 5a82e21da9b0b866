package dev.perennial.starter.cli.schedule;

import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import picocli.CommandLine.Option;

/**
 * The options every subcommand takes: the model, and the pipeline its schedule starts, which
 * together name the schedule ({@code <kebab-case type>-<model>}, for ContinuousTraining {@code
 * continuous-training-<model>}).
 */
final class ModelOption {
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
