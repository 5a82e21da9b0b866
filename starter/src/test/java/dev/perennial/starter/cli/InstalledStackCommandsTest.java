package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.dev.traffic.TrafficGenerator;
import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.starter.stack.Endpoints;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  /** Overall thresholds any sane model passes: the gate lets every candidate through. */
  static final String OPEN_GATE =
      "{\"minAuc\":0.5,\"maxLogLoss\":5,\"minImprovement\":-1,\"maxRegression\":100}";

  /**
   * A shadow on the real dev server, MinIO and model server with traffic and labels: the champion
   * answers every request while the candidate scores each one unseen, its lines logged flagged; the
   * step is judged like a canary plus agreement and score shift. One shadow is promoted; the next
   * is withdrawn by a score-shift limit no different model can meet, the check named.
   */
  @Test
  void aShadowScoresEveryRequestUnseenAndIsPromotedOrWithdrawnByItsChecks() throws Exception {
    String model = "shadowed";
    Run generate =
        cli(
            "generate",
            "--model",
            model,
            "--days",
            "5",
            "--rows-per-day",
            "1500",
            "--first-day",
            "2026-05-01");
    assertThat(generate.code()).as(generate.err()).isZero();
    Run v1 = cli("train", "--model", model, "--wait", "--trees", "30");
    assertThat(v1.out()).as(v1.err()).contains("Result:   PROMOTED — v1 is champion");

    String passing =
        "{\"bakeTime\":\"15s\",\"minRequests\":40,\"minLabelledRows\":30,"
            + "\"maxP99LatencyRatio\":100,\"latencySlackMs\":1000,\"minAgreement\":0.6,"
            + "\"maxScorePsi\":5,\"maxLogLossIncrease\":1,\"maxAucDrop\":0.5}";
    Endpoints endpoints = stack.endpoints();
    try (TrafficGenerator traffic =
        new TrafficGenerator(
            endpoints.servingAddress(),
            endpoints.servingApiKey(),
            model,
            TrafficGenerator.rows(41, java.time.LocalDate.parse("2026-05-06"), 1, 1500),
            2,
            10)) {
      Run v2 =
          cli(
              "train",
              "--model",
              model,
              "--wait",
              "--trees",
              "60",
              "--gate",
              OPEN_GATE,
              "--rollout",
              "SHADOW",
              "--canary",
              passing);
      assertThat(v2.out())
          .as(v2.err())
          .contains("Result:   PROMOTED — v2 is champion after its shadow")
          .contains("shadow PROMOTED: shadow passed 1 steps against v1")
          .containsPattern("step 1 at 100 %: PASS \\(shadow \\d+ requests, champion \\d+\\)")
          .containsPattern("agreement: \\d+\\.\\d\\d % of \\d+ rows answered alike")
          .containsPattern("score shift: PSI \\d\\.\\d{4}");

      // While v2 shadowed v1, v1 answered: the shadow's lines are flagged and carry no features.
      ObjectStore store = ObjectStores.open(endpoints.s3Settings(), false);
      List<JsonNode> lines = new ArrayList<>();
      for (var object : store.list("perennial-artifacts", "predictions/" + model + "/")) {
        try (var in =
            new java.util.zip.GZIPInputStream(store.open("perennial-artifacts", object.key()))) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
              lines.add(PipelineInput.JSON.readTree(line));
            }
          }
        }
      }
      List<JsonNode> shadowed = lines.stream().filter(l -> l.path("shadow").asBoolean()).toList();
      assertThat(shadowed)
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l.get("version").asInt()).isEqualTo(2));
      assertThat(shadowed).noneMatch(l -> l.has("features"));
      java.util.Set<String> answeredByV1 =
          lines.stream()
              .filter(l -> !l.path("shadow").asBoolean() && l.get("version").asInt() == 1)
              .map(l -> l.get("requestId").asText())
              .collect(java.util.stream.Collectors.toSet());
      assertThat(shadowed)
          .as("every shadowed request was answered by the champion")
          .allMatch(l -> answeredByV1.contains(l.get("requestId").asText()));

      // No other model's scores are within PSI 0 of v2's: the shadow is withdrawn, named.
      Run v3 =
          cli(
              "train",
              "--model",
              model,
              "--wait",
              "--trees",
              "15",
              "--gate",
              OPEN_GATE,
              "--rollout",
              "SHADOW",
              "--canary",
              passing.replace("\"maxScorePsi\":5", "\"maxScorePsi\":0"));
      assertThat(v3.out())
          .as(v3.err())
          .containsPattern(
              "Result:   ROLLED_BACK — v3 withdrawn by its shadow \\(step 1 at 100 %: score shift:"
                  + " PSI \\d\\.\\d{4} of the shadow's scores against the champion's \\(max"
                  + " 0\\.0000\\)\\); v2 stays champion");
      assertThat(cli("models", "--model", model, "--version", "3").out())
          .contains("Model " + model + " v3: REJECTED")
          .contains("withdrawn   shadow breached at step 1 at 100 %: score shift: PSI");
      assertThat(traffic.failures()).as(String.valueOf(traffic.lastFailure())).isZero();
    }
  }

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
