package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.pipeline.Rollout;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code train --rollout SHADOW --canary}: the policy reaches the request, a bad one is refused.
 */
class TrainCanaryOptionTest {

  @Test
  void aShadowsPolicyBecomesTheRequestsWithTheShadowsDefaultsForTheRest() {
    CommandLine.ParseResult parsed =
        PerennialCommand.commandLine()
            .parseArgs(
                "train",
                "--model",
                "churn",
                "--rollout",
                "SHADOW",
                "--canary",
                "{\"bakeTime\":\"30s\",\"minAgreement\":0.9,\"maxScorePsi\":0.25}");
    TrainCommand train = (TrainCommand) parsed.subcommand().commandSpec().userObject();

    ContinuousTrainingRequest request = train.request().withDefaults();

    assertThat(request.problems()).isEmpty();
    assertThat(request.rollout()).isEqualTo(Rollout.SHADOW);
    assertThat(request.canary().bakeTime()).isEqualTo("30s");
    assertThat(request.canary().minAgreement()).isEqualTo(0.9);
    assertThat(request.canary().maxScorePsi()).isEqualTo(0.25);
    assertThat(request.canary().steps())
        .as("a shadow scores every request")
        .isEqualTo(List.of(100));
  }

  @Test
  void aFieldThePolicyDoesNotHaveOrAValueOutOfRangeIsRefusedUnstarted() {
    Run typo = run("train", "--model", "churn", "--canary", "{\"minAgreemnt\":0.9}");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err())
        .contains("Invalid value for option '--canary'", "unknown field 'minAgreemnt'")
        .contains("minAgreement");

    Run range =
        run("train", "--model", "churn", "--rollout", "SHADOW", "--canary", "{\"minAgreement\":2}");
    assertThat(range.code()).isEqualTo(2);
    assertThat(range.err()).contains("canary.minAgreement: must be between 0");
  }
}
