package dev.perennial.starter.cli;

import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.starter.ops.RunProgress;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.canary.StepReport;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import dev.perennial.workflows.pipeline.Outcome;
import dev.perennial.workflows.pipeline.PipelineStatus;
import dev.perennial.workflows.training.ModelMetrics;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How the command line prints a pipeline run: its start, its progress lines, its result; shared by
 * {@code train}, {@code run}, {@code status} and the demo.
 */
public final class RunOutput {
  private static final int BAR = 24;

  private RunOutput() {}

  /**
   * Starts a run of {@code workflowType} under {@code workflowId} and prints so; with {@code wait}
   * follows it to its result. Returns the exit code: {@link PerennialCommand#FAILED} when a run
   * with that id is open already.
   */
  static int start(
      WorkflowClient client,
      String workflowType,
      String workflowId,
      String model,
      Object input,
      boolean wait,
      PrintWriter out) {
    String follow = statusCommand(workflowType, model);
    switch (PipelineRuns.start(client, workflowType, workflowId, input)) {
      case PipelineRuns.Started s -> out.printf("Started %s (run %s)%n", s.workflowId(), s.runId());
      case PipelineRuns.AlreadyRunning a -> {
        out.printf(
            "A run for %s is already in progress (%s). Follow it with: %s%n",
            model, a.workflowId(), follow);
        out.flush();
        return Exit.FAILED;
      }
    }
    out.flush();
    if (!wait) {
      out.printf("Follow it with: %s%n", follow);
      out.flush();
      return 0;
    }
    printResult(follow(client, workflowId, out), out);
    return 0;
  }

  /**
   * Starts a {@code ContinuousTraining} run under the model's conventional id: the same path as
   * {@code perennial run ContinuousTraining}.
   */
  public static int train(
      WorkflowClient client, ContinuousTrainingRequest request, boolean wait, PrintWriter out) {
    return start(
        client,
        ContinuousTrainingWorkflow.TYPE,
        ContinuousTrainingWorkflow.workflowId(request.model()),
        request.model(),
        request,
        wait,
        out);
  }

  /** Follows the run, printing a line whenever its progress line changes; returns its result. */
  public static ContinuousTrainingResult follow(
      WorkflowClient client, String workflowId, PrintWriter out) {
    return RunProgress.follow(client, workflowId, progressPrinter(out));
  }

  private static Consumer<RunProgress.Progress> progressPrinter(PrintWriter out) {
    String[] last = {null};
    return progress -> {
      String line =
          switch (progress) {
            case RunProgress.Reported r -> line(r.status());
            case RunProgress.Unanswered u -> "  (status query unanswered: " + u.reason() + ")";
          };
      if (!Objects.equals(line, last[0])) {
        out.println(line);
        out.flush();
        last[0] = line;
      }
    };
  }

  /** A run's progress as one line: a bar, the percentage, the stage and its detail. */
  static String line(PipelineStatus s) {
    int filled = (int) Math.round(s.progress() * BAR);
    return String.format(
        Locale.ROOT,
        "  [%s%s] %3d%%  %-8s %s",
        "#".repeat(filled),
        ".".repeat(BAR - filled),
        Math.round(s.progress() * 100),
        s.stage(),
        s.detail() == null ? "" : s.detail());
  }

  public static void printResult(ContinuousTrainingResult r, PrintWriter out) {
    out.printf("Result:   %s — %s%n", r.outcome(), r.message());
    if (r.candidate() != null) {
      out.printf("          candidate  %s%n", metrics(r.candidate()));
    }
    if (r.champion() != null) {
      out.printf(
          "          champion   %s (v%s, same rows)%n",
          metrics(r.champion()), r.decision() == null ? "?" : r.decision().championVersion());
    }
    if (r.decision() != null) {
      for (String reason : r.decision().reasons()) {
        out.printf("          gate: %s%n", reason);
      }
    }
    if (r.evaluationReport() != null) {
      out.printf(
          "          report: %s%n",
          (r.evaluationPage() != null ? r.evaluationPage() : r.evaluationReport()).uri());
    }
    if (r.canary() != null) {
      printCanary(r.canary(), out);
    }
    if (r.cacheKey() != null) {
      out.printf(
          "          cache key %s (dataset %s; %s)%s%n",
          r.cacheKey().key().substring(0, 12),
          r.cacheKey()
              .datasetVersion()
              .substring(0, Math.min(12, r.cacheKey().datasetVersion().length())),
          r.cacheKey().codeVersion(),
          r.outcome() == Outcome.UNCHANGED ? "; --force trains anyway" : "");
    }
    out.flush();
  }

  /** One block per analysed bake of a canary or shadow: share, verdict, then each check. */
  private static void printCanary(CanaryResult c, PrintWriter out) {
    String role = c.mode() == null ? "canary" : c.mode().role();
    out.printf("          %s %s: %s%n", role, c.outcome(), c.reason());
    for (StepReport s : c.history()) {
      out.printf(
          "          step %d at %3d %%%s: %s (%s %d requests, champion %d)%n",
          s.step(),
          s.percent(),
          s.attempt() == 0 ? "" : " (extension " + s.attempt() + ")",
          s.verdict(),
          role,
          s.canary().requests(),
          s.champion().requests());
      for (String finding : s.findings()) {
        out.printf("            %s%n", finding);
      }
    }
  }

  static String metrics(ModelMetrics m) {
    return String.format(
        Locale.ROOT,
        "AUC %.4f  logloss %.4f  acc %.4f  P %.3f  R %.3f  F1 %.3f  (%d rows)",
        m.auc(),
        m.logLoss(),
        m.accuracy(),
        m.precision(),
        m.recall(),
        m.f1(),
        m.rows());
  }

  /** The {@code status} command line that finds a run of this type. */
  static String statusCommand(String workflowType, String model) {
    return "perennial status --model "
        + model
        + (ContinuousTrainingWorkflow.TYPE.equals(workflowType)
            ? ""
            : " --workflow-type " + workflowType);
  }
}
