package dev.perennial.workflows.canary;

import dev.perennial.workflows.PerennialSearchAttributes;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a rollout stands, kept in one place: the phase (mirrored into the run's stage search
 * attribute), step, share and message, and the analysed bakes. {@link #status} builds what the
 * query answers.
 */
final class CanaryProgress {
  private final List<StepReport> history = new ArrayList<>();
  private String model;
  private int version;
  private Integer champion;
  private List<Integer> steps = List.of();
  private RolloutMode mode = RolloutMode.CANARY;
  private CanaryPhase phase = CanaryPhase.STARTING;
  private int step;
  private int percent;
  private CanaryOutcome outcome;
  private String message = "";

  void start(String model, int version, List<Integer> steps, RolloutMode mode) {
    this.model = model;
    this.version = version;
    this.steps = steps;
    this.mode = mode;
  }

  /**
   * The stage search attribute's value for {@code phase} (or an outcome): {@code CANARY_BAKING},
   * {@code SHADOW_BAKING}, ...
   */
  String stage(Enum<?> phase) {
    return mode.name() + "_" + phase;
  }

  void champion(int champion) {
    this.champion = champion;
  }

  /** Enters {@code phase} at {@code step} and {@code percent}; the stage follows a new phase. */
  void enter(CanaryPhase phase, int step, int percent, String message) {
    if (phase != this.phase) {
      Workflow.upsertTypedSearchAttributes(PerennialSearchAttributes.STAGE.valueSet(stage(phase)));
    }
    this.phase = phase;
    this.step = step;
    this.percent = percent;
    this.message = message;
  }

  void analysed(StepReport report) {
    history.add(report);
  }

  /** The rollout ended: {@code now} is champion, the canary serves nothing. */
  void done(CanaryOutcome outcome, int now, String message) {
    this.phase = CanaryPhase.DONE;
    this.champion = now;
    this.percent = 0;
    this.outcome = outcome;
    this.message = message;
    Workflow.upsertTypedSearchAttributes(PerennialSearchAttributes.STAGE.valueSet(stage(outcome)));
  }

  int step() {
    return step;
  }

  int percent() {
    return percent;
  }

  List<StepReport> history() {
    return List.copyOf(history);
  }

  CanaryStatus status(boolean paused, boolean approved) {
    return new CanaryStatus(
        model,
        version,
        champion,
        phase,
        step,
        steps,
        percent,
        paused,
        approved,
        history.isEmpty() ? null : history.get(history.size() - 1),
        outcome,
        message,
        mode);
  }
}
