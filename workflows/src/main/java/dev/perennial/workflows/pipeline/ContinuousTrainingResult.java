package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.canary.CanaryResult;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.training.ModelMetrics;

/**
 * Result of a continuous-training run.
 *
 * @param model model name
 * @param outcome how it ended
 * @param version the registered version, null when aborted before registration
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
    ObjectRef evaluationPage) {}
