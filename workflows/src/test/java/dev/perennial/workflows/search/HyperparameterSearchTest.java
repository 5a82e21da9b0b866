package dev.perennial.workflows.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.TrainedModel;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Planning trials and picking the best: plain code, deterministic, no server. */
class HyperparameterSearchTest {
  static final Hyperparameters BASE = Hyperparameters.defaults();

  @Test
  void aGridTakesEveryCombinationOfItsPointsRangesByName() {
    HyperparameterSearch grid =
        HyperparameterSearch.grid()
            .over("shrinkage", ParameterRange.logScale(0.01, 1).steps(3))
            .over("maxDepth", ParameterRange.ints(3, 4));

    List<Hyperparameters> plan = grid.plan(BASE, new Random(1));

    assertThat(plan)
        .extracting(Hyperparameters::maxDepth, Hyperparameters::shrinkage)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, 0.01),
            org.assertj.core.groups.Tuple.tuple(3, 0.1),
            org.assertj.core.groups.Tuple.tuple(3, 1.0),
            org.assertj.core.groups.Tuple.tuple(4, 0.01),
            org.assertj.core.groups.Tuple.tuple(4, 0.1),
            org.assertj.core.groups.Tuple.tuple(4, 1.0));
    assertThat(plan).allMatch(h -> h.trees() == 100, "other fields keep the base's value");
  }

  @Test
  void aGridOfWholeNumbersCountsARoundedPointOnce() {
    assertThat(ParameterRange.ints(3, 4).steps(5).grid()).containsExactly("3", "4");
  }

  @Test
  void randomDrawsStayInTheirRangesAreDistinctAndRepeatForTheSameSeed() {
    HyperparameterSearch random =
        HyperparameterSearch.random(40)
            .over("trees", ParameterRange.ints(50, 60))
            .over("shrinkage", ParameterRange.logScale(0.01, 0.3))
            .over("subsample", ParameterRange.doubles(0.5, 1.0))
            .over("eta", ParameterRange.choice("a", "b"));

    List<Hyperparameters> plan = random.plan(BASE, new Random(7));

    assertThat(plan).hasSize(40);
    assertThat(new HashSet<>(plan)).hasSize(40);
    assertThat(plan).allSatisfy(h -> assertThat(h.trees()).isBetween(50, 60));
    assertThat(plan).allSatisfy(h -> assertThat(h.shrinkage()).isBetween(0.01, 0.3));
    assertThat(plan).allSatisfy(h -> assertThat(h.subsample()).isBetween(0.5, 1.0));
    assertThat(plan).allSatisfy(h -> assertThat(h.params().get("eta")).isIn("a", "b"));
    // Log scale: about as many draws below the geometric middle (~0.055) as above, where a linear
    // scale would put only 16 % of them there.
    long low = plan.stream().filter(h -> h.shrinkage() < Math.sqrt(0.01 * 0.3)).count();
    assertThat(low).isBetween(10L, 30L);
    assertThat(random.plan(BASE, new Random(7))).isEqualTo(plan);
    assertThat(random.plan(BASE, new Random(8))).isNotEqualTo(plan);
  }

  @Test
  void aSpaceSmallerThanTheBudgetGivesEachCombinationOnce() {
    HyperparameterSearch small =
        HyperparameterSearch.random(10).over("maxDepth", ParameterRange.ints(3, 5));

    assertThat(small.plan(BASE, new Random(3)))
        .extracting(Hyperparameters::maxDepth)
        .containsExactlyInAnyOrder(3, 4, 5);
  }

  @Test
  void aGridBiggerThanItsBudgetIsRefusedSayingWhatToChange() {
    HyperparameterSearch grid =
        new HyperparameterSearch(SearchStrategy.GRID, null, 4, null, null, null)
            .over("maxDepth", ParameterRange.ints(3, 5))
            .over("subsample", ParameterRange.choice(0.6, 0.8));

    assertThat(grid.problems("search", BASE))
        .containsExactly(
            "search.trials: the grid has 6 points, more than the budget of 4: raise trials, give"
                + " fewer steps or choices, or use strategy RANDOM");
  }

  @Test
  void rangesAreCheckedAgainstWhatTheHyperparameterTakes() {
    HyperparameterSearch bad =
        HyperparameterSearch.random(5)
            .over("trees", ParameterRange.ints(1, 9000))
            .over("maxDepth", new ParameterRange(8.0, 3.0, true, null, null, null))
            .over("subsample", new ParameterRange(0.5, null, null, null, null, List.of("1")))
            .over("lambda", ParameterRange.choice());

    assertThat(bad.problems("search", BASE))
        .containsExactly(
            "search.ranges.lambda.values: must list at least one choice",
            "search.ranges.maxDepth: needs min <= max (got min 8.0, max 3.0)",
            "search.ranges.subsample: give either values or min and max, not both",
            "hyperparameters.trees: must be between 1 and 5000 (got 9000)");
    assertThat(
            HyperparameterSearch.random(5)
                .over("trees", ParameterRange.ints(10, 20))
                .problems("search", BASE.with("validationFraction", 0.0)))
        .containsExactly(
            "search: picks the best trial on the validation split, but validationFraction is 0:"
                + " set hyperparameters.validationFraction above 0");
    assertThat(HyperparameterSearch.grid().problems("search", BASE))
        .singleElement()
        .asString()
        .startsWith("search.ranges: must vary at least one hyperparameter");
  }

  @Test
  void theBestIsTheHighestAucOrLowestLogLossTiesToTheLowerNumber() {
    List<Trial> byAuc = trials("auc");
    List<Trial> byLogLoss = trials("logLoss");

    assertThat(SearchResult.pick(byAuc, "auc")).map(Trial::number).contains(2);
    assertThat(SearchResult.pick(byLogLoss, "logLoss")).map(Trial::number).contains(3);
    assertThat(SearchResult.pick(byAuc.subList(3, 5), "auc")).isEmpty();
    assertThat(SearchResult.of(HyperparameterSearch.random(5), byAuc).best()).isEqualTo(2);
    assertThat(SearchResult.of(HyperparameterSearch.random(5).by("logLoss"), byLogLoss).best())
        .isEqualTo(3);
  }

  /** Trials 2 and 3 tie on AUC; 3 has the lowest log loss; 4 runs, 5 failed. */
  private static List<Trial> trials(String metric) {
    return List.of(
        trial(1, 0.80, 0.40, metric),
        trial(2, 0.85, 0.35, metric),
        trial(3, 0.85, 0.30, metric),
        Trial.pending(4, BASE).running(),
        Trial.pending(5, BASE).failed("refused"));
  }

  private static Trial trial(int n, double auc, double logLoss, String metric) {
    TrainedModel m =
        new TrainedModel(
            null, null, null, null, 10, new ModelMetrics(auc, logLoss, 0, 0, 0, 0, 10), "test");
    return Trial.pending(n, BASE).succeeded(m, metric);
  }
}
