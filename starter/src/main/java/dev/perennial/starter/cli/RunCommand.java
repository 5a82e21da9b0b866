package dev.perennial.starter.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code perennial run}: start a run of any pipeline type, a user's own included. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start a run of any pipeline (a workflow whose interface extends PerennialPipeline) on task"
          + " queue perennial-pipelines, e.g. perennial run ApprovedForest --model churn --wait.",
      "The input is one JSON object; --model is set as its model field. One run per model and"
          + " type at a time (workflow id <kebab-case type>-<model>, e.g."
          + " continuous-training-churn).",
      "Exit 1 when a run with that id is already open."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "<WorkflowType>",
      description = "The pipeline's workflow type, e.g. ContinuousTraining or ApprovedForest.")
  String workflowType;

  @Option(names = "--model", required = true, description = "Model name, e.g. credit-default.")
  String model;

  @Option(
      names = "--input",
      paramLabel = "JSON|@FILE",
      converter = PipelineInput.Converter.class,
      description =
          "The workflow's input: one JSON object, inline or @file.json, e.g."
              + " '{\"holdoutDays\":3,\"note\":\"new labels\"}' (default {}).")
  ObjectNode input;

  @Option(names = "--wait", description = "Follow the run's progress and print its result.")
  boolean waitForResult;

  @Option(
      names = "--workflow-id",
      paramLabel = "ID",
      description = "The run's workflow id (default <kebab-case type>-<model>).")
  String workflowId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String> problems = new ArrayList<>(new RequestProblems().name("model", model).list());
    problems.addAll(PipelineRuns.typeProblems("<WorkflowType>", workflowType));
    if (workflowId != null && workflowId.isBlank()) {
      problems.add("--workflow-id: must not be blank");
    }
    Object argument = null;
    if (problems.isEmpty()) {
      ObjectNode merged = PipelineInput.withModel(input, model, problems);
      // Ours is checked here, as train checks it; a user's pipeline checks its own input.
      argument =
          ContinuousTrainingWorkflow.TYPE.equals(workflowType)
              ? PipelineInput.asContinuousTraining(merged, problems)
              : merged;
    }
    Integer refused = Exit.refuse(problems, spec.commandLine().getErr());
    if (refused != null) {
      return refused;
    }
    String id = workflowId != null ? workflowId : PipelineRuns.workflowId(workflowType, model);
    try {
      return RunOutput.start(
          connection.workflowClient(), workflowType, id, model, argument, waitForResult, out);
    } finally {
      connection.close();
    }
  }
}
