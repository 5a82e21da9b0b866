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
import java.util.regex.Pattern;
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
  private static final Pattern V1_CHAMPION =
      java.util.regex.Pattern.compile("v1 +APPROVED +champion");
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

    // The same data, options and code again: the step cache answers, nothing is trained.
    String[] again = {
      "train",
      "--model",
      "loans",
      "--wait",
      "--algorithm",
      "LOGISTIC_REGRESSION",
      "--promote-on-pass"
    };
    Run same = cli(again);
    assertThat(same.code()).as(same.out() + same.err()).isZero();
    assertThat(same.out())
        .contains(
            "Result:   UNCHANGED — unchanged: same data, same parameters and code as v1"
                + " (champion); nothing trained")
        .containsPattern("cache key [0-9a-f]{12}")
        .doesNotContain("TRAIN ");
    assertThat(cli("models", "--model", "loans").out()).doesNotContain("v2");
    Run v2 = cli(concat(again, new String[] {"--force"}));
    assertThat(v2.out()).as(v2.err()).contains("Result:   PROMOTED — v2 is champion");
    assertThat(cli("models", "--model", "loans", "--version", "2").out())
        .containsPattern("cache key +[0-9a-f]{64}");
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
  void aDataWatchRetrainsOnceWhenNewDaysLand() {
    String[] days = {"generate", "--model", "landing", "--rows-per-day", "1000", "--days"};
    assertThat(cli(concat(days, new String[] {"3", "--first-day", "2026-03-01"})).code()).isZero();

    Run start = cli("watch", "start", "--model", "landing", "--poll-interval", "2s");
    assertThat(start.code()).as(start.out() + start.err()).isZero();
    assertThat(start.out())
        .contains("Started data-watch-landing")
        .contains("s3://perennial-data/landing/: 3 partitions, latest 2026-03-03")
        .contains("every 2s; retrain after 1 new day, at most once per 0s")
        .contains("ContinuousTraining (workflow id continuous-training-landing)");
    Run again = cli("watch", "start", "--model", "landing");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.out()).contains("A data watch for landing is already running");

    await("the first check takes the days there as its baseline")
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(
            () -> cli("watch", "status", "--model", "landing").out(),
            o -> o.contains("acted on:     2026-03-03") && o.contains("checks:       2"));
    assertThat(cli("watch", "status", "--model", "landing").out())
        .contains("retrainings:  none started")
        .contains("no new partitions");

    assertThat(cli(concat(days, new String[] {"1", "--first-day", "2026-03-04"})).code()).isZero();
    String status =
        await("the new day starts a retraining")
            .atMost(java.time.Duration.ofSeconds(60))
            .pollInterval(java.time.Duration.ofMillis(500))
            .until(
                () -> cli("watch", "status", "--model", "landing").out(),
                o -> o.contains("retrainings:  1 started"));
    assertThat(status)
        .contains("acted on:     2026-03-04")
        .contains("latest continuous-training-landing/");
    String models =
        await("the retraining registers v1, trigger DATA, and makes it champion")
            .atMost(java.time.Duration.ofSeconds(120))
            .pollInterval(java.time.Duration.ofMillis(500))
            // Not just "champion": the gate column of a fresh v1 says "no champion to compare with"
            // before the alias is set.
            .until(
                () -> cli("models", "--model", "landing").out(),
                m -> V1_CHAMPION.matcher(m).find());
    assertThat(models).containsPattern("v1 +APPROVED +champion +DATA");
    assertThat(cli("models", "--model", "landing", "--version", "1").out())
        .as("trained on the new day too")
        .contains("2026-03-01..2026-03-04");
    assertThat(cli("watch", "status", "--model", "landing").out())
        .as("no second retraining for the same day")
        .contains("retrainings:  1 started");

    Run stop = cli("watch", "stop", "--model", "landing", "--reason", "test over");
    assertThat(stop.code()).as(stop.out() + stop.err()).isZero();
    assertThat(stop.out()).contains("Stopped data-watch-landing: test over");
    assertThat(cli("watch", "status", "--model", "landing").out())
        .contains("(COMPLETED")
        .contains("STOPPED — test over");
    assertThat(cli("watch", "stop", "--model", "landing").code()).isEqualTo(1);

    Run unknown = cli("watch", "start", "--model", "nothing-here");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.out())
        .contains("error: no data under s3://perennial-data/nothing-here/ (no _schema.json");
    Run bad =
        cli(
            "watch",
            "start",
            "--model",
            "landing",
            "--min-new-partitions",
            "0",
            "--min-interval",
            "weekly");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains("--min-new-partitions: must be from 1 to 3660 new daily partitions (got 0)")
        .contains("--min-interval: 'weekly' is not a duration");
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
            // Registering v1 and naming it champion are two registry writes: wait for the second
            // (in the aliases column: the gate's "no champion to compare with" comes with the
            // first).
            .until(
                () -> cli("models", "--model", "weekly").out(),
                m -> m.contains("SCHEDULE") && V1_CHAMPION.matcher(m).find());
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
