package dev.perennial.workflows.search;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A hyperparameter search's trials and the best of them; recorded with the registered version and
 * answered by the pipeline's {@code status} query while the search runs.
 *
 * @param search what was searched
 * @param metric the validation metric that picks the best trial
 * @param trials every trial, in number order
 * @param best the best trial's number: the highest score (lowest for {@code logLoss}) among the
 *     trained, ties to the lower number; null while none has a score
 */
public record SearchResult(
    HyperparameterSearch search, String metric, List<Trial> trials, Integer best) {

  /** The result for {@code trials}, with the best picked by {@link #pick}. */
  public static SearchResult of(HyperparameterSearch search, List<Trial> trials) {
    String metric = search.metricOrDefault();
    return new SearchResult(
        search, metric, List.copyOf(trials), pick(trials, metric).map(Trial::number).orElse(null));
  }

  /**
   * The best trial by {@code metric} among those with a score: deterministic, a tie goes to the
   * lower trial number.
   */
  public static Optional<Trial> pick(List<Trial> trials, String metric) {
    Comparator<Trial> byScore = Comparator.comparingDouble(Trial::score);
    if (!dev.perennial.workflows.training.ModelMetrics.lowerIsBetter(metric)) {
      byScore = byScore.reversed();
    }
    return trials.stream()
        .filter(t -> t.state() == TrialState.SUCCEEDED && t.score() != null && !t.score().isNaN())
        .min(byScore.thenComparingInt(Trial::number));
  }

  /** The best trial, if one has a score. */
  public Optional<Trial> bestTrial() {
    return best == null
        ? Optional.empty()
        : trials.stream().filter(t -> t.number() == best).findFirst();
  }

  /** Trials in {@code state}. */
  public long count(TrialState state) {
    return trials.stream().filter(t -> t.state() == state).count();
  }
}
