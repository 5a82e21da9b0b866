package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.workflows.gate.FairnessMetric;
import dev.perennial.workflows.gate.FairnessPolicy;
import dev.perennial.workflows.gate.SliceAucPolicy;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code train --gate}: the policy reaches the request, and a bad one is refused unstarted. */
class TrainGateOptionTest {

  @Test
  void aGateFileBecomesTheRequestsGate(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gate.json");
    Files.writeString(
        file,
        """
        {"minAuc": 0.72,
         "sliceAuc": [{"feature": "region", "minRows": 200, "maxLoss": 0.03}],
         "fairness": [{"feature": "age", "edges": [30, 45, 60], "metric": "RECALL"}]}
        """);
    CommandLine.ParseResult parsed =
        PerennialCommand.commandLine().parseArgs("train", "--model", "churn", "--gate", "@" + file);
    TrainCommand train = (TrainCommand) parsed.subcommand().commandSpec().userObject();

    ContinuousTrainingRequest request = train.request();

    assertThat(request.problems()).isEmpty();
    assertThat(request.gate().minAuc()).isEqualTo(0.72);
    assertThat(request.gate().sliceAuc())
        .containsExactly(new SliceAucPolicy("region", null, 200, 0.03));
    assertThat(request.gate().fairness())
        .containsExactly(
            new FairnessPolicy(
                "age", List.of(30.0, 45.0, 60.0), FairnessMetric.RECALL, null, null, null));
  }

  @Test
  void aFieldAPolicyDoesNotHaveIsAUsageErrorNamingIt() {
    Run r = run("train", "--model", "churn", "--gate", "{\"sliceAUC\":[]}");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("Invalid value for option '--gate'", "unknown field 'sliceAUC'", "sliceAuc");
  }

  @Test
  void badSliceRulesAreRefusedBeforeAnythingStarts() {
    Run r =
        run(
            "train",
            "--model",
            "churn",
            "--gate",
            "{\"sliceAuc\":[{\"feature\":\"age\",\"edges\":[]}],\"fairness\":[{\"minRows\":0}]}");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("gate.sliceAuc[0].edges: empty")
        .contains("gate.fairness[0].feature: name the feature to slice by")
        .contains("gate.fairness[0].minRows: must be between 1");
  }
}
