package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line itself: help, usage errors, and the demo path end to end. */
public class PerennialCommandTest {

  public record Run(int code, String out, String err) {}

  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = PerennialCommand.commandLine(args.length > 0 ? args[0] : null);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryCommand() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("demo", "up", "generate", "train", "status", "models", "monitor", "drift")
        .contains("Exit codes");
  }

  @Test
  void aRunOfOneSubcommandBuildsOnlyThatOneAndParsesAsTheWholeLineDoes() {
    CommandLine status = PerennialCommand.commandLine("status");
    assertThat(status.getSubcommands()).containsOnlyKeys("status");
    assertThat(status.getDefaultValueProvider()).isInstanceOf(ConnectionDefaults.class);
    // --verbose is inherited from the root, also by a subcommand added on its own.
    assertThat(
            status
                .parseArgs("status", "--model", "m", "--verbose")
                .subcommand()
                .hasMatchedOption("--verbose"))
        .isTrue();
    assertThat(usage(status.getSubcommands().get("status")))
        .isEqualTo(usage(PerennialCommand.commandLine().getSubcommands().get("status")));
  }

  @Test
  void rootOptionsHelpAndMisspeltNamesGetEveryCommand() {
    int all = PerennialCommand.commandLine().getSubcommands().size();
    for (String first : new String[] {"--help", "help", "statuz"}) {
      assertThat(PerennialCommand.commandLine(first).getSubcommands()).hasSize(all);
    }
    Run r = run("statuz");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Did you mean: perennial status");
  }

  private static String usage(CommandLine cli) {
    StringWriter text = new StringWriter();
    cli.usage(new PrintWriter(text, true));
    return text.toString();
  }

  @Test
  void upWithAPluginDirectoryThatDoesNotExistIsAUsageError(@TempDir Path dir) {
    Path missing = dir.resolve("no-plugins");
    Run r = run("up", "--plugins", missing.toString(), "--data-dir", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--plugins").contains(missing + " does not exist");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Run r = run("train");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--model=<model>'");
  }

  @Test
  void aMalformedTrainerNameIsAUsageError() {
    // Which trainers exist is the worker's to say (plug-ins included); the shape is checked here.
    Run r = run("train", "--model", "m", "--algorithm", "XG BOOST!");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--algorithm", "GRADIENT_BOOSTING", "plug-in");
  }

  @Test
  void badSamplingOptionsAreUsageErrorsNamingTheField() {
    Run r = run("train", "--model", "m", "--max-training-rows", "5", "--sampling", "random");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("hyperparameters.maxTrainingRows", "hyperparameters.sampling", "stratified");
  }

  @Test
  void samplingOptionsReachTheRequest() {
    TrainCommand train = new TrainCommand();
    new picocli.CommandLine(train)
        .parseArgs("--model", "m", "--max-training-rows", "1000000", "--sampling", "stratified");
    var h = train.request().hyperparameters();
    assertThat(h.maxTrainingRows()).isEqualTo(1_000_000);
    assertThat(h.sampling()).isEqualTo("stratified");
  }

  @Test
  void modelsWithoutCredentialsSaysWhatToSet(@TempDir Path dir) {
    // No running stack in dir; the credentials would come from PERENNIAL_S3_* otherwise.
    assumeTrue(
        System.getenv("PERENNIAL_S3_ACCESS_KEY") == null,
        "PERENNIAL_S3_ACCESS_KEY is set, so there are credentials");
    Run r = run("models", "--model", "m", "--data-dir", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("PERENNIAL_S3_ACCESS_KEY").doesNotContain("Exception");
  }

  @Test
  void demoRunsTheWholeLoopOnTheEmbeddedStack(@TempDir Path dir) {
    // The demo as the README runs it (4000 rows a day). At 1500 rows a day v2 serves with an online
    // log loss about 0.05 above v1's, at the canary's allowance, and some bakes roll it back.
    Run r = run("demo", "--data-dir", dir.toString());

    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("S3:       http://127.0.0.1:")
        .contains("Temporal: 127.0.0.1:")
        .contains("Result:   PROMOTED — v1 is champion")
        .contains("Serving:  http://127.0.0.1:")
        .contains("the model server answers with v1")
        .contains("Result:   PROMOTED — v2 is champion after its canary")
        .containsPattern("step 3 at 100 %: PASS")
        .contains("Result:   ROLLED_BACK — v4 rolled back by its canary (step 1 at 25 %: ")
        .contains("online AUC: ")
        .contains("v1 is champion again (was v2)")
        .contains("failed requests: 0")
        .containsPattern("v2 +APPROVED +-")
        .containsPattern("v4 +REJECTED .*withdrawn: canary breached at step 1")
        .contains("refused by the gate")
        .contains(
            "Result:   UNCHANGED — unchanged: same data, same parameters and code as v3 (refused"
                + " by the gate")
        .contains("failed validation with")
        .contains("age")
        .contains("income")
        .contains("Started drift-monitor-credit-default")
        .containsPattern("check at \\S+: NO_DRIFT, ")
        .containsPattern(
            "the monitor saw it at \\S+ and started retraining continuous-training-credit-default/")
        .containsPattern("verdict: +DRIFT")
        .containsPattern("feature +type +missing +PSI +KS +test p +JS +W1 +drifted")
        .contains("report:     s3://perennial-artifacts/drift/credit-default/")
        .contains("Result:   PROMOTED — v5 is champion after its canary")
        .containsPattern("v5 canary against champion v1")
        .contains("retraining runs the monitor started: 1")
        .contains("Stopped drift-monitor-credit-default: demo finished")
        .contains("Model credit-default")
        .containsPattern("v1 +APPROVED +- +MANUAL")
        .containsPattern("v2 +APPROVED")
        .containsPattern("v3 +REJECTED")
        .containsPattern("v5 +APPROVED +champion +DRIFT +2026-01-13..2026-01-18")
        .contains("Demo finished");
  }
}
