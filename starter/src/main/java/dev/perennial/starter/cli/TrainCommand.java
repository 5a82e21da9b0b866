package dev.perennial.starter.cli;

import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.Rollout;
import dev.perennial.workflows.training.Hyperparameters;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial train}: start a continuous-training run. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Start a ContinuousTraining run for a model: snapshot, validate, train, evaluate against the"
          + " champion, gate, register.",
      "One run per model at a time (workflow id continuous-training-<model>)."
    })
final class TrainCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Mixin ModelData data;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--wait", description = "Follow the run's progress and print its result.")
  boolean waitForResult;

  @Option(names = "--from", description = "First day of data (ISO date), inclusive.")
  String from;

  @Option(names = "--to", description = "Last day of data (ISO date), inclusive.")
  String to;

  @Option(names = "--last-days", description = "Use the latest N daily partitions (default 30).")
  Integer lastDays;

  @Option(
      names = {"--algorithm", "--trainer"},
      converter = TrainerName.class,
      description =
          "The trainer: GRADIENT_BOOSTING (default), RANDOM_FOREST, LOGISTIC_REGRESSION,"
              + " ADABOOST, DECISION_TREE, or a plug-in trainer's name. The worker refuses a"
              + " name it does not have, naming those it has.")
  String algorithm;

  @Option(
      names = "--param",
      paramLabel = "KEY=VALUE",
      description = "A trainer option, e.g. --param trees=300 or --param splitRule=ENTROPY.")
  java.util.Map<String, String> params;

  @Option(names = "--trees", description = "Trees for the ensembles (default 100).")
  Integer trees;

  @Option(
      names = "--max-training-rows",
      paramLabel = "N",
      description =
          "Train on at most N rows of the training days (the validation share included), sampled"
              + " while reading so no more are held in memory (default: every row).")
  Integer maxTrainingRows;

  @Option(
      names = "--sampling",
      description =
          "How --max-training-rows samples: uniform (the default) or stratified (each label"
              + " keeps its share of the rows).")
  String sampling;

  @Option(
      names = "--holdout-days",
      description = "Latest days kept back for evaluation (default 2).")
  Integer holdoutDays;

  @Option(
      names = "--rollout",
      description =
          "What a candidate that passes the gate becomes: CANARY (rolled out step by step against"
              + " the champion, the default), SHADOW (scores every request beside the champion,"
              + " answering nobody, judged like a canary, then promoted), CHALLENGER or PROMOTE.")
  Rollout rollout;

  @Option(
      names = "--promote-on-pass",
      description = "Same as --rollout PROMOTE: champion at once, no canary.")
  boolean promoteOnPass;

  @Option(
      names = "--force",
      description =
          "Train even when a registered version was made from the same data with the same options"
              + " and code; without it such a run trains nothing and ends UNCHANGED, naming that"
              + " version.")
  boolean force;

  @Option(names = "--note", description = "Free text recorded with the run.")
  String note;

  @Option(
      names = "--search",
      paramLabel = "JSON|@FILE",
      converter = SearchInput.class,
      description =
          "Search hyperparameters instead of training once, e.g. --search"
              + " '{\"trials\":12,\"parallelism\":3,\"ranges\":{\"trees\":{\"min\":50,"
              + "\"max\":400,\"integer\":true},\"shrinkage\":{\"min\":0.01,\"max\":0.3,"
              + "\"log\":true}}}' or --search @search.json. The trials train on the training"
              + " workers around the other options; the best by validation AUC (or the search's"
              + " metric) becomes the candidate, and every trial is recorded with the version.")
  dev.perennial.workflows.search.HyperparameterSearch search;

  @Option(
      names = "--gate",
      paramLabel = "JSON|@FILE",
      converter = GateInput.class,
      description =
          "The gate's policy instead of the defaults, e.g. --gate '{\"minAuc\":0.72,"
              + "\"sliceAuc\":[{\"feature\":\"region\",\"minRows\":200,\"maxLoss\":0.03}],"
              + "\"fairness\":[{\"feature\":\"age\",\"edges\":[30,45,60],"
              + "\"metric\":\"RECALL\",\"maxDifference\":0.1}]}' or --gate @gate.json. Fields"
              + " left out keep their defaults; rules over slices apply only when listed.")
  dev.perennial.workflows.gate.GatePolicy gate;

  @Option(
      names = "--canary",
      paramLabel = "JSON|@FILE",
      converter = CanaryInput.class,
      description =
          "The policy of the rollout (--rollout CANARY or SHADOW) instead of the defaults, e.g."
              + " --canary '{\"bakeTime\":\"15m\",\"minRequests\":500}' or, for a shadow,"
              + " '{\"steps\":[25,100],\"minAgreement\":0.9,\"maxScorePsi\":0.25}', or"
              + " --canary @canary.json. Fields left out keep their defaults.")
  dev.perennial.workflows.canary.CanaryPolicy canary;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      ContinuousTrainingRequest request = request();
      // The workflow checks too (for runs started from the UI); here nothing is started.
      Integer refused = Exit.refuse(request.problems(), spec.commandLine().getErr());
      if (refused != null) {
        return refused;
      }
      return RunOutput.train(connection.workflowClient(), request, waitForResult, out);
    } finally {
      connection.close();
    }
  }

  ContinuousTrainingRequest request() {
    DatasetSpec dataset = data.dataset(from, to, lastDays);
    Hyperparameters hp =
        algorithm == null
                && trees == null
                && params == null
                && maxTrainingRows == null
                && sampling == null
            ? null
            : new Hyperparameters(
                algorithm,
                trees,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                maxTrainingRows,
                sampling);
    if (params != null) {
      for (var p : params.entrySet()) {
        try {
          hp = hp.with(p.getKey(), p.getValue());
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(
              new picocli.CommandLine(this), "Invalid value for --param " + e.getMessage());
        }
      }
    }
    return ContinuousTrainingRequest.builder(data.model)
        .trigger(Trigger.MANUAL)
        .dataset(dataset)
        .hyperparameters(hp)
        .holdoutDays(holdoutDays)
        .promoteOnPass(promoteOnPass ? true : null)
        .note(note)
        .rollout(rollout)
        .search(search)
        .force(force ? true : null)
        .gate(gate)
        .canary(canary)
        .build();
  }
}
