package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.testkit.Records;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.ParameterRange;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.search.Trial;
import dev.perennial.workflows.search.TrialState;
import dev.perennial.workflows.training.Hyperparameters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code perennial models --version N} of a version a search picked: one row per trial. */
class ModelsOutputSearchTest {

  @Test
  void everyTrialIsListedWithWhatVariedItsScoreAndItsWorker() {
    HyperparameterSearch search =
        HyperparameterSearch.random(2)
            .over("trees", ParameterRange.ints(50, 400))
            .over("eta", ParameterRange.choice("a", "b"));
    Hyperparameters base = Hyperparameters.defaults();
    Trial first =
        new Trial(
            1,
            base.with("trees", 80).with("eta", "a"),
            TrialState.SUCCEEDED,
            0.8612,
            Records.trainedModel().build().trainedBy("4242@vm"),
            null);
    Trial second =
        new Trial(
            2,
            base.with("trees", 300).with("eta", "b"),
            TrialState.FAILED,
            null,
            null,
            "maxNodes refused");
    SearchResult result = SearchResult.of(search, List.of(first, second));
    StringWriter text = new StringWriter();

    ModelsOutput.version(
        Records.modelVersion("churn", 3)
            .hyperparameters(first.hyperparameters())
            .search(result)
            .build(),
        new PrintWriter(text));

    assertThat(text.toString())
        .contains("search      RANDOM, 2 trials, best by validation auc: trial 1")
        .containsPattern("\\*1 +SUCCEEDED +0\\.8612 +eta=a trees=80 +4242@vm +\\S+model\\.bin")
        .containsPattern("2 +FAILED +- +eta=b trees=300 +- +maxNodes refused");
  }
}
