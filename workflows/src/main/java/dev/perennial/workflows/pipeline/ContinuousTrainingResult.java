package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.ModelMetrics;

/**
 * Result of a continuous-training run.
 *
 * @param model model name
 * @param outcome how it ended
 * @param version the registered version, null when aborted before registration; for {@link
 *     Outcome#UNCHANGED}, the registered version the run found with its cache key
 * @param decision the gate's decision, null when aborted before the gate
 * @param candidate the candidate's held-out metrics
 * @param champion the champion's metrics on the same rows, null without a champion
 * @param datasetVersion the dataset version trained on
 * @param validationReport the data validation report
 * @param evaluationReport the evaluation report (JSON)
 * @param message one line for people
 * @param canary the canary rollout's result, null when there was none
 * @param evaluationPage the evaluation report as an HTML page (ROC curves, confusion matrices,
 *     metrics vs champion), null when none was written
 * @param cacheKey what the run trains from, as the step cache compares runs (recorded with the
 *     version it registers, or matched by a registered one when {@link Outcome#UNCHANGED}); null
 *     when the run did not look it up
 */
public record ContinuousTrainingResult(
    String model,
    Outcome outcome,
    Integer version,
    GateDecision decision,
    ModelMetrics candidate,
    ModelMetrics champion,
    String datasetVersion,
    ObjectRef validationReport,
    ObjectRef evaluationReport,
    String message,
    CanaryResult canary,
    ObjectRef evaluationPage,
    CacheKey cacheKey) {

  /** A result without a cache key, as runs made them before the step cache. */
  public ContinuousTrainingResult(
      String model,
      Outcome outcome,
      Integer version,
      GateDecision decision,
      ModelMetrics candidate,
      ModelMetrics champion,
      String datasetVersion,
      ObjectRef validationReport,
      ObjectRef evaluationReport,
      String message,
      CanaryResult canary,
      ObjectRef evaluationPage) {
    this(
        model,
        outcome,
        version,
        decision,
        candidate,
        champion,
        datasetVersion,
        validationReport,
        evaluationReport,
        message,
        canary,
        evaluationPage,
        null);
  }

  /** A result with the three fields every run has; the rest start null. */
  public static Builder builder(String model, Outcome outcome, String message) {
    return new Builder(model, outcome, message);
  }

  /** Builds a {@link ContinuousTrainingResult} field by field. */
  public static final class Builder {
    private final String model;
    private final Outcome outcome;
    private final String message;
    private Integer version;
    private GateDecision decision;
    private ModelMetrics candidate;
    private ModelMetrics champion;
    private String datasetVersion;
    private ObjectRef validationReport;
    private ObjectRef evaluationReport;
    private CanaryResult canary;
    private ObjectRef evaluationPage;
    private CacheKey cacheKey;

    private Builder(String model, Outcome outcome, String message) {
      this.model = model;
      this.outcome = outcome;
      this.message = message;
    }

    public Builder version(Integer version) {
      this.version = version;
      return this;
    }

    public Builder decision(GateDecision decision) {
      this.decision = decision;
      return this;
    }

    /** Candidate and champion metrics and both reports of an evaluation; null leaves them null. */
    public Builder evaluation(Evaluation evaluation) {
      if (evaluation != null) {
        candidate = evaluation.candidate();
        champion = evaluation.champion();
        evaluationReport = evaluation.report();
        evaluationPage = evaluation.html();
      }
      return this;
    }

    public Builder datasetVersion(String datasetVersion) {
      this.datasetVersion = datasetVersion;
      return this;
    }

    public Builder validationReport(ObjectRef validationReport) {
      this.validationReport = validationReport;
      return this;
    }

    public Builder canary(CanaryResult canary) {
      this.canary = canary;
      return this;
    }

    public Builder cacheKey(CacheKey cacheKey) {
      this.cacheKey = cacheKey;
      return this;
    }

    public ContinuousTrainingResult build() {
      return new ContinuousTrainingResult(
          model,
          outcome,
          version,
          decision,
          candidate,
          champion,
          datasetVersion,
          validationReport,
          evaluationReport,
          message,
          canary,
          evaluationPage,
          cacheKey);
    }
  }
}
