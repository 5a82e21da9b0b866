package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.starter.stack.DevStack;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The stack commands on the Temporal dev server and MinIO from infra/local/install-servers.sh:
 * skipped where they are not installed, required in CI.
 */
class InstalledStackCommandsTest extends StackCommands {
  @Override
  DevStack.ServerChoice servers() {
    RealServers.assumeInstalled();
    return DevStack.ServerChoice.INSTALLED;
  }

  /**
   * Overall thresholds any sane model passes, and no region with 100 held-out rows may lose AUC
   * against the champion: the gate can refuse only for a slice.
   */
  static final String SLICE_GATE =
      "{\"minAuc\":0.5,\"maxLogLoss\":5,\"minImprovement\":-1,\"maxRegression\":100,"
          + "\"sliceAuc\":[{\"feature\":\"region\",\"minRows\":100,\"maxLoss\":0}]}";

  @Test
  void aCandidateThatLosesOnARegionIsRefusedNamingItAndTheReportShowsTheSlices() {
    Run generate =
        cli(
            "generate",
            "--model",
            "sliced",
            "--days",
            "5",
            "--rows-per-day",
            "1500",
            "--first-day",
            "2026-04-01");
    assertThat(generate.code()).as(generate.err()).isZero();
    Run v1 = cli("train", "--model", "sliced", "--wait");
    assertThat(v1.out()).as(v1.err()).contains("Result:   PROMOTED — v1 is champion");

    // A single tree against the boosted champion: worse on some region, passable overall.
    Run v2 =
        cli(
            "train",
            "--model",
            "sliced",
            "--wait",
            "--algorithm",
            "DECISION_TREE",
            "--gate",
            SLICE_GATE);

    assertThat(v2.out()).as(v2.err()).contains("Result:   REJECTED — v2 refused by the gate");
    // Only the slice rule failed, and it names the region, its rows and both AUCs.
    assertThat(v2.out().lines().filter(l -> l.contains("gate: failed")))
        .singleElement()
        .asString()
        .containsPattern(
            "gate: failed auc of slice region=(north|south|east|west|central) \\(\\d+ rows; \\d+"
                + " failing of 5 region slices with >= 100 rows\\) >= champion 0\\.\\d{4} - 0\\.0000"
                + " vs champion v1: candidate has 0\\.\\d{4}");
    assertThat(cli("models", "--model", "sliced", "--version", "2").out())
        .contains("Model sliced v2: REJECTED")
        .contains("auc of slice region=");

    Matcher run = Pattern.compile("\\(run ([0-9a-f-]+)\\)").matcher(v2.out());
    assertThat(run.find()).as(v2.out()).isTrue();
    ObjectStore store = ObjectStores.open(stack.endpoints().s3Settings(), false);
    String page =
        new String(
            store
                .read(
                    "perennial-artifacts",
                    "runs/sliced/" + run.group(1) + "/evaluation-report.html")
                .orElseThrow()
                .bytes(),
            StandardCharsets.UTF_8);
    assertThat(page)
        .contains("Slices by region")
        .contains("<td>central</td>")
        .contains("AUC per slice of region");
  }
}
