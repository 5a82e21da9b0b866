package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.starter.stack.Endpoints;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * generate, train --wait, status and models against a running stack that the commands find through
 * its stack.json, as they find a running {@code perennial up}: on the embedded servers ({@link
 * EmbeddedStackCommandsTest}) and on the installed real ones ({@link InstalledStackCommandsTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StackCommands {
  Path dir;
  DevStack stack;

  /** Which servers the stack starts for what {@link #external()} does not provide. */
  abstract DevStack.ServerChoice servers();

  /** Servers running elsewhere (containers); none by default. */
  DevStack.External external() {
    return DevStack.External.NONE;
  }

  /** Whether the Temporal server has the Schedules API (the Java test server has not). */
  boolean schedulesSupported() {
    return servers() != DevStack.ServerChoice.EMBEDDED;
  }

  @BeforeAll
  void up(@TempDir Path dir) throws Exception {
    this.dir = dir;
    stack =
        DevStack.startOnFreePorts(dir, external(), servers(), new PrintWriter(Writer.nullWriter()));
    stack.endpoints().write(dir);
  }

  @AfterAll
  void down() {
    if (stack != null) {
      Endpoints.forget(dir);
      stack.close();
    }
  }

  Run cli(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dir.toString();
    return run(all);
  }

  @Test
  void trainFollowStatusAndRegistry() {
    Run generate =
        cli(
            "generate",
            "--model",
            "loans",
            "--days",
            "5",
            "--rows-per-day",
            "1200",
            "--first-day",
            "2026-03-01");
    assertThat(generate.code()).as(generate.err()).isZero();
    assertThat(generate.out())
        .contains("Wrote 6 objects (5 days x 1200 rows) to s3://perennial-data/loans/");

    Run train = cli("train", "--model", "loans", "--wait", "--algorithm", "LOGISTIC_REGRESSION");
    assertThat(train.code()).as(train.out() + train.err()).isZero();
    assertThat(train.out())
        .contains("Started continuous-training-loans")
        .contains("Result:   PROMOTED — v1 is champion");

    Run status = cli("status", "--model", "loans");
    assertThat(status.code()).isZero();
    assertThat(status.out()).contains("(COMPLETED)").contains("DONE").contains("PROMOTED");
    // The model server is asked on its management port, which stack.json names.
    assertThat(status.out()).contains("Serving:  ").doesNotContain("cannot be asked");

    Run version = cli("models", "--model", "loans", "--version", "1");
    assertThat(version.code()).isZero();
    assertThat(version.out())
        .contains("Model loans v1: APPROVED")
        .contains("LOGISTIC_REGRESSION")
        .contains("2026-03-01..2026-03-05")
        .contains("gate pass  auc >= 0.7000");

    Run audit = cli("models", "--model", "loans", "--audit");
    assertThat(audit.out())
        .containsPattern("v1 +APPROVED +champion")
        .contains("REGISTER")
        .contains("SET_ALIAS");

    Run v2 =
        cli(
            "train",
            "--model",
            "loans",
            "--wait",
            "--algorithm",
            "LOGISTIC_REGRESSION",
            "--promote-on-pass");
    assertThat(v2.out()).as(v2.err()).contains("Result:   PROMOTED — v2 is champion");
    Run rollback =
        cli("rollback", "--model", "loans", "--version", "1", "--reason", "v2 misbehaves");
    assertThat(rollback.code()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("loans: v1 is champion again (was v2)");
    assertThat(cli("models", "--model", "loans", "--audit").out())
        .containsPattern("v1 +APPROVED +champion")
        .contains("rollback to v1: v2 misbehaves");
    Run noReason = cli("rollback", "--model", "loans", "--version", "1", "--reason", " ");
    assertThat(noReason.code()).isEqualTo(2);
    assertThat(noReason.err()).contains("reason: is required");

    Run noVersion = cli("models", "--model", "loans", "--version", "9");
    assertThat(noVersion.code()).isEqualTo(1);
    assertThat(noVersion.out()).contains("loans has no version 9");
  }

  @Test
  void scoreATrainedModelThenAgainReusingEveryChunkAndOnASchedule() {
    assertThat(
            cli(
                    "generate",
                    "--model",
                    "scored",
                    "--days",
                    "4",
                    "--rows-per-day",
                    "1200",
                    "--first-day",
                    "2026-03-01")
                .code())
        .isZero();
    Run train = cli("train", "--model", "scored", "--wait", "--algorithm", "LOGISTIC_REGRESSION");
    assertThat(train.out()).as(train.err()).contains("v1 is champion");

    String[] range = {
      "score", "--model", "scored", "--from", "2026-03-03", "--to", "2026-03-04", "--wait"
    };
    Run score = cli(concat(range, new String[] {"--chunk-rows", "1000", "--parallelism", "3"}));
    assertThat(score.code()).as(score.out() + score.err()).isZero();
    assertThat(score.out())
        .contains("Started BatchScoring batch-scoring-scored")
        .contains("scored 2400 rows with scored v1 in 4 chunks; manifest s3://perennial-data/")
        .contains("Predictions: s3://perennial-data/scored/predictions/v1/");

    ObjectStore store = ObjectStores.open(stack.endpoints().s3Settings(), false);
    List<String> outputs =
        store.list("perennial-data", "scored/predictions/v1/dt=").stream()
            .map(ObjectStore.ObjectInfo::key)
            .toList();
    assertThat(outputs)
        .containsExactly(
            "scored/predictions/v1/dt=2026-03-03/part-00000.rows-0-1000.csv.gz",
            "scored/predictions/v1/dt=2026-03-03/part-00000.rows-1000-1200.csv.gz",
            "scored/predictions/v1/dt=2026-03-04/part-00000.rows-0-1000.csv.gz",
            "scored/predictions/v1/dt=2026-03-04/part-00000.rows-1000-1200.csv.gz");

    Run again = cli(concat(range, new String[] {"--chunk-rows", "1000"}));
    assertThat(again.out()).as(again.err()).contains("(4 already written, not scored again)");

    Run noSuchVersion = cli(concat(range, new String[] {"--version", "7"}));
    assertThat(noSuchVersion.code()).isEqualTo(1);
    assertThat(noSuchVersion.out() + noSuchVersion.err())
        .contains("model scored has no version 7 (registered: v1)");
    Run bad = cli("score", "--model", "scored", "--chunk-rows", "10");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("chunkRows: must be between 1000");

    if (!schedulesSupported()) {
      return;
    }
    // A daily scoring of the latest day, whole objects: a plan (and manifest) of its own.
    Run create =
        cli(
            "schedule",
            "create",
            "--model",
            "scored",
            "--workflow-type",
            "BatchScoring",
            "--cron",
            "0 5 * * *",
            "--input",
            "{\"dataset\":{\"lastDays\":1}}");
    assertThat(create.code()).as(create.err()).isZero();
    assertThat(create.out()).contains("Created schedule batch-scoring-scored");
    assertThat(
            cli("schedule", "trigger", "--model", "scored", "--workflow-type", "BatchScoring")
                .code())
        .isZero();
    await("the scheduled scoring writes its manifest")
        .atMost(java.time.Duration.ofSeconds(90))
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(() -> store.list("perennial-data", "scored/predictions/v1/manifest-").size() == 2);
    assertThat(
            store.stat("perennial-data", "scored/predictions/v1/dt=2026-03-04/part-00000.csv.gz"))
        .isPresent();
    assertThat(
            cli("schedule", "delete", "--model", "scored", "--workflow-type", "BatchScoring")
                .code())
        .isZero();
  }

  @Test
  void unknownModelsSayHowToStart() {
    Run status = cli("status", "--model", "nothing-here");
    assertThat(status.code()).isEqualTo(1);
    assertThat(status.out())
        .contains(
            "No run for nothing-here yet. Start one with: perennial train --model nothing-here");

    Run models = cli("models", "--model", "nothing-here");
    assertThat(models.code()).isZero();
    assertThat(models.out()).contains("No versions of nothing-here are registered");
  }

  @Test
  void aBadRequestIsRefusedBeforeAnythingStarts() {
    Run train = cli("train", "--model", "Bad_Name", "--wait", "--holdout-days", "0");
    assertThat(train.code()).isEqualTo(2);
    assertThat(train.err())
        .contains("error: model: must be 1-63 lower-case letters")
        .contains("error: holdoutDays: must be between 1 and 365 (got 0)");
    assertThat(train.out()).doesNotContain("Started");
  }

  @Test
  void schedulesOnTheRealServerAPlainRefusalOnTheTestServer() throws Exception {
    if (!schedulesSupported()) {
      Run refused = cli("schedule", "create", "--model", "weekly", "--cron", "0 2 * * MON");
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err())
          .contains("this Temporal server has no Schedules API")
          .contains("--cron-workflow")
          .doesNotContain("Exception");
      return;
    }
    assertThat(cli("generate", "--model", "weekly", "--days", "4", "--rows-per-day", "1000").code())
        .isZero();
    Run create =
        cli(
            "schedule",
            "create",
            "--model",
            "weekly",
            "--cron",
            "0 2 * * MON",
            "--timezone",
            "Europe/Berlin",
            "--overlap",
            "buffer-one",
            "--catchup-window",
            "2d",
            "--jitter",
            "10m",
            "--algorithm",
            "LOGISTIC_REGRESSION");
    assertThat(create.code()).as(create.err()).isZero();
    assertThat(create.out())
        .contains("Created schedule continuous-training-weekly: \"0 2 * * MON\" Europe/Berlin")
        .contains("next runs: ");

    Run update =
        cli(
            "schedule",
            "create",
            "--model",
            "weekly",
            "--cron",
            "0 3 * * MON",
            "--timezone",
            "Europe/Berlin",
            "--algorithm",
            "LOGISTIC_REGRESSION");
    assertThat(update.out()).contains("Updated schedule continuous-training-weekly");
    Run describe = cli("schedule", "describe", "--model", "weekly");
    assertThat(describe.out())
        .contains("retrain weekly on \"0 3 * * MON\" Europe/Berlin")
        .contains("SCHEDULE_OVERLAP_POLICY_SKIP")
        .contains("paused:    no");
    assertThat(cli("schedule", "list").out())
        .containsPattern("continuous-training-weekly +weekly +ContinuousTraining +no");

    // A pipeline of another type has a schedule of its own, named by type and model.
    String[] forest = {"--model", "weekly", "--workflow-type", "ApprovedForest"};
    Run other = cli(concat(new String[] {"schedule", "create", "--cron", "0 4 * * *"}, forest));
    assertThat(other.code()).as(other.err()).isZero();
    assertThat(other.out()).contains("Created schedule approved-forest-weekly");
    assertThat(cli(concat(new String[] {"schedule", "describe"}, forest)).out())
        .contains("run ApprovedForest for weekly");
    assertThat(cli("schedule", "list").out())
        .containsPattern("approved-forest-weekly +weekly +ApprovedForest +no")
        .containsPattern("continuous-training-weekly +weekly +ContinuousTraining");
    assertThat(cli(concat(new String[] {"schedule", "delete"}, forest)).out())
        .contains("Deleted approved-forest-weekly");

    assertThat(cli("schedule", "pause", "--model", "weekly").code()).isZero();
    assertThat(cli("schedule", "describe", "--model", "weekly").out()).contains("paused:    yes");
    assertThat(cli("schedule", "unpause", "--model", "weekly").code()).isZero();

    assertThat(cli("schedule", "trigger", "--model", "weekly").out())
        .contains("Triggered continuous-training-weekly");
    String models =
        await("the triggered run registers v1 and makes it champion")
            .atMost(java.time.Duration.ofSeconds(90))
            .pollInterval(java.time.Duration.ofMillis(500))
            // Registering v1 and naming it champion are two registry writes: wait for the second.
            .until(
                () -> cli("models", "--model", "weekly").out(),
                m -> m.contains("SCHEDULE") && m.contains("champion"));
    Run status = cli("status", "--model", "weekly");
    assertThat(status.out())
        .as("status finds the scheduled run through visibility")
        .containsPattern("Run: +continuous-training-weekly-\\S+ \\((RUNNING|COMPLETED)\\)");
    assertThat(models)
        .as("the triggered run registered v1")
        .containsPattern("v1 +APPROVED +champion +SCHEDULE");

    Run backfill =
        cli(
            "schedule",
            "backfill",
            "--model",
            "weekly",
            "--from",
            "2026-01-06",
            "--to",
            "2026-01-07");
    assertThat(backfill.code()).as(backfill.err()).isZero();
    Run badOverlap =
        cli(
            "schedule",
            "create",
            "--model",
            "weekly",
            "--cron",
            "0 2 * * MON",
            "--overlap",
            "sometimes");
    assertThat(badOverlap.code()).as(badOverlap.err()).isEqualTo(2);
    assertThat(badOverlap.err())
        .contains("Invalid value for option '--overlap': 'sometimes'")
        .contains("skip, buffer-one, allow-all or cancel-other");

    assertThat(cli("schedule", "delete", "--model", "weekly").code()).isZero();
    assertThat(cli("schedule", "list").out()).doesNotContain("continuous-training-weekly");
  }

  private static String[] concat(String[] a, String[] b) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
        .toArray(String[]::new);
  }
}
