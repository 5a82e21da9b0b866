package dev.perennial.starter.cli;

import dev.perennial.starter.ops.BatchScorings;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.scoring.BatchScoringRequest;
import dev.perennial.workflows.scoring.BatchScoringResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial score}: start a batch scoring. */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score a range of daily partitions (or every CSV under a prefix) with the champion or"
          + " --version, in parallel chunks on the training queue (BatchScoring workflow).",
      "Predictions go next to the inputs, under <prefix>predictions/v<N>/, with a manifest"
          + " written last; chunks already written for the same data and model are not scored"
          + " again. One scoring per model at a time (workflow id batch-scoring-<model>).",
      "Exit 1 when one is open already, or when the scoring fails."
    })
final class ScoreCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Mixin ModelData data;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", description = "First day to score (ISO date), inclusive.")
  String from;

  @Option(names = "--to", description = "Last day to score (ISO date), inclusive.")
  String to;

  @Option(
      names = "--last-days",
      description = "Without --from/--to: the latest N daily partitions (default 1).")
  Integer lastDays;

  @Option(names = "--version", description = "The version to score with (default: the champion).")
  Integer version;

  @Option(
      names = "--chunk-rows",
      description = "Rows per chunk, 1000 or more (default: one chunk per input object).")
  Integer chunkRows;

  @Option(names = "--parallelism", description = "Chunks scored at once (default 4).")
  Integer parallelism;

  @Option(
      names = "--keep",
      split = ",",
      paramLabel = "COLUMN",
      description = "Input columns copied into the predictions, e.g. --keep customer_id.")
  List<String> keep;

  @Option(names = "--wait", description = "Follow the scoring's progress and print its result.")
  boolean waitForResult;

  @Option(
      names = "--workflow-id",
      paramLabel = "ID",
      description = "The run's workflow id (default batch-scoring-<model>).")
  String workflowId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    BatchScoringRequest request = request();
    List<String> problems = new ArrayList<>(request.problems());
    if (workflowId != null && workflowId.isBlank()) {
      problems.add("--workflow-id: must not be blank");
    }
    Integer refused = Exit.refuse(problems, spec.commandLine().getErr());
    if (refused != null) {
      return refused;
    }
    try {
      var client = connection.workflowClient();
      PipelineRuns.StartResult started = BatchScorings.start(client, request, workflowId);
      if (started instanceof PipelineRuns.AlreadyRunning running) {
        spec.commandLine()
            .getErr()
            .printf(
                "A scoring of %s is running already (workflow id %s); wait for it or give"
                    + " --workflow-id.%n",
                data.model, running.workflowId());
        return Exit.FAILED;
      }
      var run = (PipelineRuns.Started) started;
      out.printf("Started BatchScoring %s (run %s)%n", run.workflowId(), run.runId());
      if (!waitForResult) {
        return 0;
      }
      BatchScoringResult result =
          BatchScorings.follow(
              client,
              run.workflowId(),
              p ->
                  out.printf(
                      "  %-8s %s chunks %d/%d%s, rows %d/%d%n",
                      p.phase(),
                      p.version() == null ? "" : "v" + p.version(),
                      p.chunksDone(),
                      p.chunksTotal(),
                      p.chunksReused() == 0 ? "" : " (" + p.chunksReused() + " reused)",
                      p.rowsDone(),
                      p.rowsTotal()));
      out.println(result.message());
      out.println("Predictions: " + result.outputPrefix());
      return 0;
    } finally {
      connection.close();
    }
  }

  BatchScoringRequest request() {
    return new BatchScoringRequest(
        data.model,
        Trigger.MANUAL,
        data.dataset(from, to, lastDays),
        version,
        chunkRows,
        parallelism,
        keep);
  }
}
