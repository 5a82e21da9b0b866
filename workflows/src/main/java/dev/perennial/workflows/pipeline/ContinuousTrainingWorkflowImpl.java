package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.cache.CacheHit;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.registry.ModelVersion;
import io.temporal.workflow.Workflow;

/**
 * The continuous-training pipeline: snapshot, validate, train, evaluate against the champion, gate,
 * register, then promote, hand to a canary or make challenger as the request's rollout says.
 * Composed from {@link PipelineRun}'s building blocks, as a pipeline of your own would be.
 */
public class ContinuousTrainingWorkflowImpl extends PipelineWorkflow
    implements ContinuousTrainingWorkflow {

  /**
   * Change id: runs from version 1 on hand a gated candidate to a {@code CanaryRollout} child
   * (rollout CANARY, the default). Runs recorded before it make the candidate challenger.
   */
  static final String CANARY_HANDOFF = "canary-handoff";

  /**
   * Change id: runs from version 1 on honour the request's {@code search} (trials on the training
   * workers, the best becomes the candidate). Runs recorded before it trained once whatever the
   * request said, and replay so.
   */
  static final String HYPERPARAMETER_SEARCH = "hyperparameter-search";

  /**
   * Change id: runs from version 1 on look up their cache key after validation; one whose data,
   * options and code equal a registered version's trains nothing and ends {@link Outcome#UNCHANGED}
   * (unless forced), and every version they register records its key. Runs recorded before it went
   * straight to training.
   */
  static final String STEP_CACHE = "step-cache";

  @Override
  public ContinuousTrainingResult run(ContinuousTrainingRequest request) {
    return pipeline.execute(request, this::pipeline);
  }

  private ContinuousTrainingResult pipeline(ContinuousTrainingRequest r) {
    DatasetSnapshot data = pipeline.snapshot();
    // Asked only of runs that search, so a run without one records no marker and stays as it was.
    boolean search =
        r.search() != null
            && Workflow.getVersion(HYPERPARAMETER_SEARCH, Workflow.DEFAULT_VERSION, 1) >= 1;
    if (Workflow.getVersion(STEP_CACHE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      CacheHit hit = pipeline.cached(data, search ? r.search() : null);
      if (hit != null) {
        return pipeline.unchanged(hit);
      }
    }
    pipeline.evaluate(search ? pipeline.search(data, r.search()) : pipeline.train(data));
    pipeline.gate();
    ModelVersion candidate = pipeline.register();
    ModelVersion champion = pipeline.champion();
    String v = "v" + candidate.version();
    if (!candidate.gate().passed()) {
      return pipeline.rejected();
    }
    if (champion == null || r.rollout() == Rollout.PROMOTE) {
      return pipeline.promote(
          champion == null
              ? "first version to pass the gate"
              : "passed the gate against v" + champion.version() + " (rollout PROMOTE)");
    }
    boolean shadow = r.rollout() == Rollout.SHADOW;
    if ((shadow || r.rollout() == Rollout.CANARY)
        && Workflow.getVersion(CANARY_HANDOFF, Workflow.DEFAULT_VERSION, 1) >= 1) {
      CanaryResult canary = shadow ? pipeline.shadow() : pipeline.canary();
      String role = r.rollout().mode().role();
      return switch (canary.outcome()) {
        case PROMOTED -> pipeline.finish(Outcome.PROMOTED, v + " is champion after its " + role);
        case ROLLED_BACK ->
            pipeline.finish(
                Outcome.ROLLED_BACK,
                v
                    + (shadow ? " withdrawn by its shadow (" : " rolled back by its canary (")
                    + canary.reason()
                    + "); v"
                    + champion.version()
                    + " stays champion");
        default -> {
          pipeline.makeChallenger(
              "passed the gate; " + role + " " + canary.outcome() + ": " + canary.reason());
          yield pipeline.finish(
              Outcome.CHALLENGER,
              v
                  + " is challenger: its "
                  + role
                  + " ended "
                  + canary.outcome()
                  + " ("
                  + canary.reason()
                  + ")");
        }
      };
    }
    pipeline.makeChallenger("passed the gate against champion v" + champion.version());
    return pipeline.finish(
        Outcome.CHALLENGER,
        v + " passed the gate and is challenger to champion v" + champion.version());
  }
}
