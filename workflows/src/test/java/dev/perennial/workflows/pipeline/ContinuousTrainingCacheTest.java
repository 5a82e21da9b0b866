package dev.perennial.workflows.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.cache.CacheLookup;
import dev.perennial.workflows.cache.CacheQuery;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.ParameterRange;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The step cache in the pipeline ({@code step-cache} change): a run whose key a registered version
 * has trains, evaluates, registers and rolls out nothing; a miss or a forced run trains and records
 * its key with the version.
 */
class ContinuousTrainingCacheTest extends ContinuousTrainingTestSupport {

  static final CacheKey KEY =
      CacheKey.of(
          "d1".repeat(32),
          CacheKey.options(2, Hyperparameters.defaults(), java.util.Map.of(), null),
          "GRADIENT_BOOSTING test; perennial test");

  private void snapshotAndValidate() {
    when(datasets.snapshot(any())).thenReturn(Samples.snapshot());
    when(datasets.validate(any())).thenReturn(Samples.passingValidation());
  }

  private static ModelVersion withKey(ModelVersion v) {
    return new ModelVersion(
        v.model(),
        v.version(),
        v.status(),
        v.dataset(),
        v.artifacts(),
        v.hyperparameters(),
        v.evaluation(),
        v.gate(),
        v.trigger(),
        v.workflowId(),
        v.runId(),
        v.createdAt(),
        v.rejection(),
        v.driftReport(),
        v.search(),
        KEY);
  }

  @Test
  void aRunFromTheChampionsDataOptionsAndCodeTrainsNothingAndSaysSo() throws Exception {
    snapshotAndValidate();
    ModelVersion v1 = withKey(Samples.version(1, 0.80, true));
    when(registry.findCached(any())).thenReturn(new CacheLookup(KEY, List.of(1), v1));
    when(registry.findAlias(Samples.MODEL, Aliases.CHAMPION)).thenReturn(v1);
    start(training);

    ContinuousTrainingWorkflow wf = stub("ct-cache-hit");
    ContinuousTrainingResult result = wf.run(ContinuousTrainingRequest.of(Samples.MODEL));

    assertThat(result.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(result.version()).isEqualTo(1);
    assertThat(result.message())
        .isEqualTo(
            "unchanged: same data, same parameters and code as v1 (champion); nothing trained");
    assertThat(result.cacheKey()).isEqualTo(KEY);
    assertThat(result.datasetVersion()).isEqualTo(Samples.snapshot().datasetVersion());
    ArgumentCaptor<CacheQuery> query = ArgumentCaptor.forClass(CacheQuery.class);
    verify(registry).findCached(query.capture());
    assertThat(query.getValue().snapshot()).isEqualTo(Samples.snapshot());
    assertThat(query.getValue().holdoutDays()).isEqualTo(2);
    assertThat(query.getValue().hyperparameters()).isEqualTo(Hyperparameters.defaults());
    verify(training, never()).train(any());
    verify(training, never()).evaluate(any());
    verify(registry, never()).register(any());
    verify(registry, never()).setAlias(any());
    assertThat(FakeCanary.seen).isNull();
    PipelineStatus status = wf.status();
    assertThat(status.stage()).isEqualTo(Stage.DONE);
    assertThat(status.version()).isEqualTo(1);
    assertThat(status.detail()).isEqualTo(result.message());
    var memo = client.newUntypedWorkflowStub("ct-cache-hit").describe();
    assertThat(memo.getMemo("cache", String.class)).isEqualTo("v1 " + KEY.key());

    recordHistoryIfAsked("ct-cache-hit", "continuous-training-cache-hit.json");
  }

  @Test
  void aMatchThatIsNotChampionIsNamedAndNotPromotedAgain() {
    snapshotAndValidate();
    ModelVersion v2 = withKey(Samples.version(2, 0.82, true));
    when(registry.findCached(any())).thenReturn(new CacheLookup(KEY, List.of(2), v2));
    when(registry.findAlias(Samples.MODEL, Aliases.CHAMPION))
        .thenReturn(Samples.version(1, 0.80, true));
    start(training);

    ContinuousTrainingResult result =
        stub("ct-cache-rolled-back").run(ContinuousTrainingRequest.of(Samples.MODEL));

    assertThat(result.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(result.version()).isEqualTo(2);
    assertThat(result.message())
        .startsWith("unchanged: same data, same parameters and code as v2 (approved, not champion:")
        .contains("champion is v1", "not promoted again", "roll back to v2");
    verify(training, never()).train(any());
    verify(registry, never()).setAlias(any());
    verify(registry, never()).register(any());
  }

  @Test
  void aMissTrainsAndRecordsTheKeyWithTheVersion() throws Exception {
    happyPathUpToEvaluation(null, 0.80);
    when(registry.findCached(any())).thenReturn(CacheLookup.miss(KEY));
    start(training);

    ContinuousTrainingResult result =
        stub("ct-cache-miss").run(ContinuousTrainingRequest.of(Samples.MODEL));

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(result.cacheKey()).isEqualTo(KEY);
    ArgumentCaptor<RegistrationRequest> reg = ArgumentCaptor.forClass(RegistrationRequest.class);
    verify(registry).register(reg.capture());
    assertThat(reg.getValue().cacheKey()).isEqualTo(KEY);

    recordHistoryIfAsked("ct-cache-miss", "continuous-training-cache-miss.json");
  }

  @Test
  void aForcedRunTrainsThoughTheChampionHasItsKey() {
    happyPathUpToEvaluation(0.80, 0.81);
    ModelVersion v1 = withKey(Samples.version(1, 0.80, true));
    when(registry.findCached(any())).thenReturn(new CacheLookup(KEY, List.of(1), v1));
    when(registry.findAlias(Samples.MODEL, Aliases.CHAMPION)).thenReturn(v1);
    start(training);

    ContinuousTrainingResult result =
        stub("ct-cache-forced")
            .run(
                ContinuousTrainingRequest.builder(Samples.MODEL)
                    .rollout(Rollout.CHALLENGER)
                    .force(true)
                    .build());

    assertThat(result.outcome()).isEqualTo(Outcome.CHALLENGER);
    assertThat(result.version()).isEqualTo(2);
    verify(training).train(any());
    ArgumentCaptor<RegistrationRequest> reg = ArgumentCaptor.forClass(RegistrationRequest.class);
    verify(registry).register(reg.capture());
    assertThat(reg.getValue().cacheKey()).isEqualTo(KEY);
  }

  @Test
  void aRandomSearchWithoutASeedNeverTakesACachedVersion() {
    happyPathUpToEvaluation(0.80, 0.81);
    ModelVersion v1 = withKey(Samples.version(1, 0.80, true));
    when(registry.findCached(any())).thenReturn(new CacheLookup(KEY, List.of(1), v1));
    when(training.train(any())).thenReturn(Samples.trained());
    start(training);
    HyperparameterSearch unseeded =
        HyperparameterSearch.random(2).over("trees", ParameterRange.ints(50, 60));

    ContinuousTrainingResult result =
        stub("ct-cache-unseeded")
            .run(
                ContinuousTrainingRequest.builder(Samples.MODEL)
                    .rollout(Rollout.CHALLENGER)
                    .search(unseeded)
                    .build());

    assertThat(result.outcome()).isEqualTo(Outcome.CHALLENGER);
    ArgumentCaptor<CacheQuery> query = ArgumentCaptor.forClass(CacheQuery.class);
    verify(registry).findCached(query.capture());
    assertThat(query.getValue().search()).isEqualTo(unseeded);
  }
}
