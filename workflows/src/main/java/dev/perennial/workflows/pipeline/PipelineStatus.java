package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.search.SearchResult;

/**
 * What the {@code status} query answers.
 *
 * @param model model name
 * @param stage current stage
 * @param progress 0.0 to 1.0 over the pipeline's stages
 * @param detail one line on what is happening
 * @param datasetVersion the snapshot's version once taken
 * @param version the registered version once registered
 * @param decision the gate's decision once made
 * @param search the hyperparameter search's trials so far (state, score, worker), when the run
 *     searches; null otherwise
 */
public record PipelineStatus(
    String model,
    Stage stage,
    double progress,
    String detail,
    String datasetVersion,
    Integer version,
    GateDecision decision,
    SearchResult search) {

  /** A status without a search. */
  public PipelineStatus(
      String model,
      Stage stage,
      double progress,
      String detail,
      String datasetVersion,
      Integer version,
      GateDecision decision) {
    this(model, stage, progress, detail, datasetVersion, version, decision, null);
  }
}
