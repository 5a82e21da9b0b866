package dev.perennial.workflows.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.ParameterRange;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.search.SearchRun;
import dev.perennial.workflows.search.Trial;
import dev.perennial.workflows.search.TrialState;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.EvaluationJob;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.training.TrainingJob;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** A run with a {@code search}: trials on the training queue, the best becomes the candidate. */
class ContinuousTrainingSearchTest extends ContinuousTrainingTestSupport {

  /** Six grid points; the fake scores maxDepth 4 best, and two trials tie on it. */
  static final HyperparameterSearch GRID =
      HyperparameterSearch.grid()
          .over("maxDepth", ParameterRange.ints(3, 5))
          .over("subsample", ParameterRange.choice(0.6, 0.8))
          .parallelism(2);

  private final ScoredTraining scored = new ScoredTraining();

  private void happyPath() {
    when(datasets.snapshot(any())).thenReturn(Samples.snapshot());
    when(datasets.validate(any())).thenReturn(Samples.passingValidation());
    when(registry.findAlias(Samples.MODEL, Aliases.CHAMPION)).thenReturn(null);
    when(registry.register(any())).thenAnswer(inv -> Samples.registered(inv.getArgument(0), 1));
  }

  @Test
  void theBestTrialByValidationAucBecomesTheCandidateAndEveryTrialIsRegistered() throws Exception {
    happyPath();
    start(scored);

    ContinuousTrainingWorkflow wf = stub("ct-search");
    ContinuousTrainingResult result =
        wf.run(ContinuousTrainingRequest.of(Samples.MODEL).withSearch(GRID));

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    ArgumentCaptor<RegistrationRequest> reg = ArgumentCaptor.forClass(RegistrationRequest.class);
    verify(registry).register(reg.capture());
    SearchResult search = reg.getValue().search();
    assertThat(search.trials())
        .extracting(t -> t.hyperparameters().maxDepth(), t -> t.hyperparameters().subsample())
        .as("grid order: ranges by name, the last varying fastest")
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, 0.6),
            org.assertj.core.groups.Tuple.tuple(3, 0.8),
            org.assertj.core.groups.Tuple.tuple(4, 0.6),
            org.assertj.core.groups.Tuple.tuple(4, 0.8),
            org.assertj.core.groups.Tuple.tuple(5, 0.6),
            org.assertj.core.groups.Tuple.tuple(5, 0.8));
    assertThat(search.trials()).allMatch(t -> t.state() == TrialState.SUCCEEDED);
    assertThat(search.trials()).allMatch(t -> "fake-worker".equals(t.worker()));
    // Trials 3 and 4 tie on AUC 0.85: the lower number wins.
    assertThat(search.best()).isEqualTo(3);
    assertThat(search.metric()).isEqualTo("auc");
    Trial best = search.bestTrial().orElseThrow();
    assertThat(reg.getValue().hyperparameters()).isEqualTo(best.hyperparameters());
    assertThat(reg.getValue().artifacts()).isEqualTo(best.trained());
    assertThat(reg.getValue().artifacts().model().key()).endsWith("/trial-03/model.bin");
    verify(training, never()).train(any());
    assertThat(scored.evaluated).hasSize(1);
    assertThat(scored.evaluated.get(0).candidate()).isEqualTo(best.trained().model());

    // One run id per trial, under the pipeline run's: no two trials share artifacts.
    assertThat(scored.runIds.keySet()).hasSize(6).allMatch(id -> id.matches(".+/trial-0[1-6]"));
    assertThat(scored.runIds.values()).allMatch(n -> n.get() == 1);
    assertThat(scored.maxAtOnce.get()).isLessThanOrEqualTo(2);

    PipelineStatus status = wf.status();
    assertThat(status.search()).isEqualTo(search);
    var memo = client.newUntypedWorkflowStub("ct-search").describe();
    assertThat(memo.getMemo("search", String.class))
        .isEqualTo("search: 6 of 6 trials done; best auc 0.8500 (trial 3)");

    recordHistoryIfAsked("ct-search", "continuous-training-search.json");
  }

  @Test
  void logLossPicksTheLowestAndAFailedTrialIsRecordedWhileTheOthersGoOn() {
    happyPath();
    scored.failDepth = 5;
    start(scored);

    stub("ct-search-logloss")
        .run(ContinuousTrainingRequest.of(Samples.MODEL).withSearch(GRID.by("logLoss")));

    ArgumentCaptor<RegistrationRequest> reg = ArgumentCaptor.forClass(RegistrationRequest.class);
    verify(registry).register(reg.capture());
    SearchResult search = reg.getValue().search();
    assertThat(search.count(TrialState.FAILED)).isEqualTo(2);
    assertThat(search.trials().get(4).failure()).contains("maxDepth 5 refused by the fake");
    assertThat(search.count(TrialState.SUCCEEDED)).isEqualTo(4);
    // Log loss is lowest at maxDepth 3, subsample 0.8: trial 2.
    assertThat(search.best()).isEqualTo(2);
    assertThat(reg.getValue().hyperparameters().maxDepth()).isEqualTo(3);
  }

  @Test
  void aTrialThatFinishesBeforeTheOnesStartedWithItIsTakenAsItFinishes() {
    happyPath();
    scored.middleFirst = new CountDownLatch(1);
    start(scored);
    HyperparameterSearch three =
        HyperparameterSearch.grid().over("maxDepth", ParameterRange.ints(3, 5)).parallelism(3);

    stub("ct-search-order").run(ContinuousTrainingRequest.of(Samples.MODEL).withSearch(three));

    ArgumentCaptor<RegistrationRequest> reg = ArgumentCaptor.forClass(RegistrationRequest.class);
    verify(registry).register(reg.capture());
    assertThat(reg.getValue().search().trials())
        .extracting(Trial::number, Trial::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, TrialState.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple(2, TrialState.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple(3, TrialState.SUCCEEDED));
    assertThat(reg.getValue().search().best()).isEqualTo(2);
  }

  @Test
  void whenEveryTrialFailsTheRunFailsSayingWhyEachDid() {
    happyPath();
    scored.failDepth = -1; // every depth
    start(scored);

    assertThatThrownBy(
            () ->
                stub("ct-search-failed")
                    .run(ContinuousTrainingRequest.of(Samples.MODEL).withSearch(GRID)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(SearchRun.SEARCH_FAILED);
              assertThat(f.getOriginalMessage())
                  .contains("No trial of the hyperparameter search was scored by auc (6 trials)")
                  .contains("trial 1: maxDepth 3 refused by the fake")
                  .contains("trial 6: maxDepth 5 refused by the fake");
            });
    verify(registry, never()).register(any());
  }

  @Test
  void aBadSearchFailsBeforeAnyDataIsReadNamingEveryBadField() {
    happyPath();
    start(scored);
    HyperparameterSearch bad =
        HyperparameterSearch.random(0)
            .over("shrinkage", ParameterRange.logScale(0, 0.3))
            .over("trees", ParameterRange.doubles(10.5, 20))
            .over("algorithm", ParameterRange.choice("RANDOM_FOREST"))
            .by("aucc");

    assertThatThrownBy(
            () ->
                stub("ct-search-bad")
                    .run(ContinuousTrainingRequest.of(Samples.MODEL).withSearch(bad)))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
              assertThat(f.getOriginalMessage())
                  .contains("search.trials: must be between 1 and 500 (got 0)")
                  .contains("search.metric: must be one of [auc, logLoss")
                  .contains("search.ranges.shrinkage.min: must be above 0 on a log scale")
                  .contains("search.ranges.trees: trees must be a whole number (got 10.5)")
                  .contains("search.ranges.algorithm: must name a hyperparameter");
            });
    verify(datasets, never()).snapshot(any());
  }

  /**
   * Scores a trial by its hyperparameters: AUC peaks at maxDepth 4 whatever the subsample (a tie),
   * log loss is lowest at maxDepth 3 and subsample 0.8. Counts trainings per run id and trainings
   * at once; refuses {@link #failDepth} (-1: every depth) as a trainer refuses bad options.
   */
  static final class ScoredTraining implements TrainingActivities {
    final Map<String, AtomicInteger> runIds = new ConcurrentHashMap<>();
    final List<EvaluationJob> evaluated = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicInteger atOnce = new AtomicInteger();
    final AtomicInteger maxAtOnce = new AtomicInteger();
    volatile int failDepth;

    /** When set, the maxDepth-4 trial finishes first and the others after it. */
    volatile CountDownLatch middleFirst;

    @Override
    public TrainedModel train(TrainingJob job) {
      runIds.computeIfAbsent(job.runId(), k -> new AtomicInteger()).incrementAndGet();
      maxAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
      try {
        Hyperparameters h = job.hyperparameters();
        if (failDepth == -1 || h.maxDepth() == failDepth) {
          throw ApplicationFailure.newNonRetryableFailure(
              "maxDepth " + h.maxDepth() + " refused by the fake", FailureTypes.INVALID_REQUEST);
        }
        CountDownLatch latch = middleFirst;
        if (latch != null && h.maxDepth() != 4) {
          awaitMiddle(latch);
        }
        if (latch != null && h.maxDepth() == 4) {
          latch.countDown();
        }
        double auc = 0.85 - 0.05 * Math.abs(h.maxDepth() - 4);
        double logLoss = 0.30 + 0.02 * (h.maxDepth() - 3) + Math.abs(h.subsample() - 0.8);
        String dir = "runs/" + job.model() + "/" + job.runId() + "/";
        return new TrainedModel(
                Samples.ref(dir + "model.bin"),
                Samples.ref(dir + "hyperparameters.properties"),
                Samples.ref(dir + "feature-schema.json"),
                Samples.ref(dir + "reference-profile.json"),
                20_000,
                new ModelMetrics(auc, logLoss, 0.86, 0.6, 0.4, 0.48, 5000),
                "test")
            .trainedBy("fake-worker");
      } finally {
        atOnce.decrementAndGet();
      }
    }

    /** Waits for the middle trial, then a little more so its completion reaches the run first. */
    private static void awaitMiddle(CountDownLatch latch) {
      try {
        assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Evaluation evaluate(EvaluationJob job) {
      evaluated.add(job);
      return Samples.evaluation(0.84, null);
    }
  }
}
