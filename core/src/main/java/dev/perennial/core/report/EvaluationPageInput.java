package dev.perennial.core.report;

import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceResults;
import java.util.List;
import java.util.Objects;

/**
 * What an evaluation report shows: candidate and champion scored on the same held-out rows.
 *
 * @param model the model's name
 * @param runId the training run
 * @param datasetVersion the snapshot's dataset version
 * @param heldOutDays the days scored, sorted
 * @param rows held-out rows scored
 * @param candidate the candidate's scores
 * @param champion the champion's scores on the same rows, or null without a champion
 * @param slices the same metrics per slice, one entry per slicing; empty when none was asked for
 */
public record EvaluationPageInput(
    String model,
    String runId,
    String datasetVersion,
    List<String> heldOutDays,
    long rows,
    ScoredModel candidate,
    ScoredModel champion,
    List<SliceResults> slices) {

  public EvaluationPageInput {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(candidate, "candidate");
    heldOutDays = heldOutDays == null ? List.of() : List.copyOf(heldOutDays);
    slices = slices == null ? List.of() : List.copyOf(slices);
  }

  /** An evaluation without slices. */
  public EvaluationPageInput(
      String model,
      String runId,
      String datasetVersion,
      List<String> heldOutDays,
      long rows,
      ScoredModel candidate,
      ScoredModel champion) {
    this(model, runId, datasetVersion, heldOutDays, rows, candidate, champion, List.of());
  }

  /**
   * One model's results.
   *
   * @param name how the page names it, e.g. "candidate" or "champion v3"
   * @param modelUri where its bundle is, shown as written
   * @param metrics its metrics at threshold 0.5
   * @param confusion {@code {{tn, fp}, {fn, tp}}} at threshold 0.5
   * @param roc (false positive rate, true positive rate) points, already thinned for plotting
   */
  public record ScoredModel(
      String name, String modelUri, ModelMetrics metrics, long[][] confusion, double[][] roc) {
    public ScoredModel {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(metrics, "metrics");
      Objects.requireNonNull(confusion, "confusion");
      Objects.requireNonNull(roc, "roc");
    }
  }
}
