package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.search.ParameterRange;
import dev.perennial.workflows.search.SearchStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code train --search}: the search reaches the request, and a bad one is refused unstarted. */
class TrainSearchOptionTest {

  @Test
  void aSearchFileBecomesTheRequestsSearch(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("search.json");
    Files.writeString(
        file,
        """
        {"strategy": "GRID", "parallelism": 3, "metric": "logLoss",
         "ranges": {"maxDepth": {"min": 3, "max": 5, "integer": true},
                    "shrinkage": {"min": 0.01, "max": 0.3, "log": true, "steps": 4}}}
        """);
    CommandLine.ParseResult parsed =
        PerennialCommand.commandLine()
            .parseArgs("train", "--model", "churn", "--trees", "200", "--search", "@" + file);
    TrainCommand train = (TrainCommand) parsed.subcommand().commandSpec().userObject();

    ContinuousTrainingRequest request = train.request();

    assertThat(request.problems()).isEmpty();
    assertThat(request.hyperparameters().trees()).isEqualTo(200);
    assertThat(request.search().strategy()).isEqualTo(SearchStrategy.GRID);
    assertThat(request.search().parallelism()).isEqualTo(3);
    assertThat(request.search().metric()).isEqualTo("logLoss");
    assertThat(request.search().ranges())
        .containsEntry("maxDepth", ParameterRange.ints(3, 5))
        .containsEntry("shrinkage", ParameterRange.logScale(0.01, 0.3).steps(4));
  }

  @Test
  void aFieldASearchDoesNotHaveIsAUsageErrorNamingIt() {
    Run r = run("train", "--model", "churn", "--search", "{\"trials\":4,\"rangs\":{}}");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("Invalid value for option '--search'", "unknown field 'rangs'", "ranges");
  }

  @Test
  void aBadRangeIsRefusedBeforeAnythingStarts() {
    Run r =
        run(
            "train",
            "--model",
            "churn",
            "--search",
            "{\"ranges\":{\"shrinkage\":{\"min\":0,\"max\":0.3,\"log\":true}},\"metric\":\"f2\"}");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("search.ranges.shrinkage.min: must be above 0 on a log scale")
        .contains("search.metric: must be one of");
  }
}
