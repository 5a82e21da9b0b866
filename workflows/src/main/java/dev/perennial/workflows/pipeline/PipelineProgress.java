package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RunMetrics;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link PipelineRun}'s progress as others see it: the {@code status} query's answer, the {@code
 * PerennialStage} search attribute, and the links to its reports in the memo.
 */
final class PipelineProgress {
  private static final Stage[] PROGRESS_ORDER = {
    Stage.STARTING,
    Stage.SNAPSHOT,
    Stage.VALIDATE,
    Stage.TRAIN,
    Stage.EVALUATE,
    Stage.GATE,
    Stage.REGISTER,
    Stage.CANARY,
    Stage.PROMOTE,
    Stage.DONE
  };

  /**
   * Change id: runs from version 1 on keep links to their reports in the memo (shown in the UI).
   * Runs recorded before it replay without the memo commands.
   */
  static final String MEMO_REPORT_LINKS = "memo-report-links";

  private final RunRecord made;
  private boolean memoLinks;
  private long enteredAt;
  private PipelineStatus status =
      new PipelineStatus(null, Stage.STARTING, 0.0, "starting", null, null, null);

  PipelineProgress(RunRecord made) {
    this.made = made;
  }

  /**
   * Starts the run of {@code request} (with its defaults): sets its search attributes and decides,
   * by {@link #MEMO_REPORT_LINKS}, whether it keeps report links in the memo.
   */
  void start(ContinuousTrainingRequest request) {
    status = new PipelineStatus(request.model(), Stage.STARTING, 0.0, "starting", null, null, null);
    enteredAt = Workflow.currentTimeMillis();
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(request.model()),
        PerennialSearchAttributes.TRIGGER.valueSet(request.trigger().name()),
        PerennialSearchAttributes.STAGE.valueSet(Stage.STARTING.name()));
    memoLinks = Workflow.getVersion(MEMO_REPORT_LINKS, Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  PipelineStatus status() {
    PipelineStatus s = status;
    return made.search == null
        ? s
        : new PipelineStatus(
            s.model(),
            s.stage(),
            s.progress(),
            s.detail(),
            s.datasetVersion(),
            s.version(),
            s.decision(),
            made.search);
  }

  /** Changes the status's line on what happens, staying at the same stage. */
  void detail(String detail) {
    status =
        new PipelineStatus(
            status.model(),
            status.stage(),
            status.progress(),
            detail,
            status.datasetVersion(),
            status.version(),
            status.decision());
  }

  /**
   * Moves the status to {@code stage}, with one line on what happens; the stage left is reported
   * with the time it took ({@link RunMetrics#STAGE}).
   */
  void enter(Stage stage, String detail) {
    long now = Workflow.currentTimeMillis();
    if (status.model() != null && status.stage() != Stage.STARTING) {
      RunMetrics.stage(status.model(), status.stage().name(), Duration.ofMillis(now - enteredAt));
    }
    enteredAt = now;
    double progress = status.progress();
    for (int i = 0; i < PROGRESS_ORDER.length; i++) {
      if (PROGRESS_ORDER[i] == stage) {
        progress = (double) i / (PROGRESS_ORDER.length - 1);
      }
    }
    status =
        new PipelineStatus(
            status.model(),
            stage,
            progress,
            detail,
            made.datasetVersion(),
            made.version(),
            made.decision);
    Workflow.upsertTypedSearchAttributes(PerennialSearchAttributes.STAGE.valueSet(stage.name()));
  }

  /** Adds a link or fact to the run's memo, for runs that keep them. */
  void memo(String key, String value) {
    if (memoLinks && value != null) {
      Workflow.upsertMemo(Map.of(key, value));
    }
  }
}
