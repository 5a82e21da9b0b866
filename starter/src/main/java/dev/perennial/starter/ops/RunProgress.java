package dev.perennial.starter.ops;

import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.canary.StepReport;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import dev.perennial.workflows.pipeline.PerennialPipeline;
import dev.perennial.workflows.pipeline.PipelineStatus;
import dev.perennial.workflows.training.ModelMetrics;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverterException;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;

/**
 * Follows a pipeline run (any type with the {@code status} query of {@link PerennialPipeline}) and
 * prints its result.
 */
public final class RunProgress {
  private static final int BAR = 24;

  private RunProgress() {}

  /**
   * Prints a line whenever the run's stage or detail changes, until it closes; returns its result
   * (throws {@code WorkflowFailedException} when it failed).
   */
  public static ContinuousTrainingResult follow(
      WorkflowClient client, String workflowId, PrintWriter out) {
    WorkflowStub untyped = client.newUntypedWorkflowStub(workflowId);
    String last = null;
    while (true) {
      WorkflowExecutionStatus state = untyped.describe().getStatus();
      if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        String line;
        try {
          line = line(status(untyped));
        } catch (WorkflowQueryException | DataConverterException e) {
          // No worker knows the type yet, or the run's status is not a PipelineStatus.
          line = "  (status query unanswered: " + rootMessage(e) + ")";
        }
        if (!Objects.equals(line, last)) {
          out.println(line);
          out.flush();
          last = line;
        }
        sleep(500);
      } else {
        return untyped.getResult(ContinuousTrainingResult.class);
      }
    }
  }

  /** The run's answer to the {@code status} query every pipeline has. */
  public static PipelineStatus status(WorkflowStub run) {
    return run.query(PerennialPipeline.STATUS, PipelineStatus.class);
  }

  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
  }

  public static String line(PipelineStatus s) {
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
    out.flush();
  }

  /** One block per analysed bake of a canary: share, verdict, then each check. */
  public static void printCanary(CanaryResult c, PrintWriter out) {
    out.printf("          canary %s: %s%n", c.outcome(), c.reason());
    for (StepReport s : c.history()) {
      out.printf(
          "          step %d at %3d %%%s: %s (canary %d requests, champion %d)%n",
          s.step(),
          s.percent(),
          s.attempt() == 0 ? "" : " (extension " + s.attempt() + ")",
          s.verdict(),
          s.canary().requests(),
          s.champion().requests());
      for (String finding : s.findings()) {
        out.printf("            %s%n", finding);
      }
    }
  }

  public static String metrics(ModelMetrics m) {
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
