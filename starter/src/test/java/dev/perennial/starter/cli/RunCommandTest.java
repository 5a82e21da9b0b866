package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.cli.PerennialCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run}, {@code approve} and {@code reject}: refusals before any server is asked. */
class RunCommandTest {

  @Test
  void helpListsTheNewCommands() {
    Run r = run("--help");
    assertThat(r.out()).contains("run", "approve", "reject", "data");
    assertThat(run("run", "--help").out())
        .contains("<WorkflowType>", "--input=JSON|@FILE", "--wait", "--workflow-id=ID");
  }

  @Test
  void inputThatIsNoJsonIsAUsageErrorNamingTheOption() {
    Run r = run("run", "ApprovedForest", "--model", "churn", "--input", "{holdoutDays:3");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Invalid value for option '--input'", "not JSON");

    Run array = run("run", "ApprovedForest", "--model", "churn", "--input", "[1]");
    assertThat(array.code()).isEqualTo(2);
    assertThat(array.err()).contains("--input", "must be one JSON object");
  }

  @Test
  void aFileInputIsReadAndItsModelMustMatch(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.json");
    Files.writeString(file, "{\"model\":\"other\",\"holdoutDays\":3}");
    Run r = run("run", "ApprovedForest", "--model", "churn", "--input", "@" + file);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: --input: its model is 'other' but --model is 'churn': leave model out of the"
                + " input or give the same\n");

    Run missing =
        run("run", "ApprovedForest", "--model", "churn", "--input", "@" + dir.resolve("no.json"));
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--input", "no such file");
  }

  @Test
  void continuousTrainingInputIsCheckedAsItsRequest() {
    Run r =
        run(
            "run",
            "ContinuousTraining",
            "--model",
            "churn",
            "--input",
            "{\"holdoutDays\":0,\"holdout\":2}");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: --input: unknown field 'holdout'");

    Run range =
        run("run", "ContinuousTraining", "--model", "churn", "--input", "{\"holdoutDays\":0}");
    assertThat(range.code()).isEqualTo(2);
    assertThat(range.err()).contains("--input: holdoutDays: must be between 1 and 365");
  }

  @Test
  void aTypeNameThatCannotBeOneIsRefused() {
    Run r = run("run", "Approved Forest'", "--model", "churn");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("<WorkflowType>: 'Approved Forest'' is no workflow type name");
  }

  @Test
  void approveNeedsWhoDecides() {
    Run missing = run("approve", "--model", "churn");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--by=<by>'");
    Run blank = run("reject", "--model", "churn", "--by", " ");
    assertThat(blank.code()).isEqualTo(2);
    assertThat(blank.err()).isEqualTo("error: --by: say who decides, e.g. {\"by\":\"alice\"}\n");
  }

  @Test
  void theMonitorRetrainsOnlyWithAPipeline() {
    Run r = run("monitor", "start", "--model", "churn", "--workflow-type", "DriftMonitor");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: --workflow-type: 'DriftMonitor' is no pipeline; give a pipeline's workflow"
                + " type, e.g. ContinuousTraining\n");
  }

  @Test
  void aScheduleOfAnotherTypeTakesItsShapeFromTheInput() {
    Run r =
        run(
            "schedule",
            "create",
            "--model",
            "churn",
            "--cron",
            "0 2 * * MON",
            "--workflow-type",
            "ApprovedForest",
            "--last-days",
            "7");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: --last-days and --algorithm shape a ContinuousTraining request; for"
                + " ApprovedForest put them in --input\n");
  }
}
