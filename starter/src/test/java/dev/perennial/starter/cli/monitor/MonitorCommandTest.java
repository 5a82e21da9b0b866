package dev.perennial.starter.cli.monitor;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.cli.PerennialCommand;
import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code monitor} and {@code drift} on the command line: options, and the refusals that happen
 * before any server is asked (none runs here).
 */
class MonitorCommandTest {

  @Test
  void helpListsTheSubcommandsAndPolicyOptions() {
    Run monitor = run("monitor", "--help");
    assertThat(monitor.code()).isZero();
    assertThat(monitor.out()).contains("start", "stop", "status", "check-now", "drift-monitor-");

    Run start = run("monitor", "start", "--help");
    assertThat(start.out())
        .contains(
            "--interval=DURATION",
            "--window=DURATION",
            "--min-rows=N",
            "--psi=X",
            "--p-value=X",
            "--drifted-share=X",
            "--critical=FEATURE[,FEATURE...]",
            "--max-log-loss-increase=X",
            "--cooldown=DURATION",
            "--policy-file=FILE");
  }

  @Test
  void everyCommandRequiresTheModel() {
    for (String[] args :
        List.of(
            new String[] {"monitor", "start"},
            new String[] {"monitor", "stop"},
            new String[] {"monitor", "status"},
            new String[] {"monitor", "check-now"},
            new String[] {"drift"})) {
      Run r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).contains("Missing required option: '--model=<model>'");
    }
  }

  @Test
  void anIntervalThatIsNoDurationIsNamedByItsOption() {
    Run r = run("monitor", "start", "--model", "credit-default", "--interval", "forever");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: --interval: 'forever' is not a duration: write e.g. 90s, 15m, 2h, 7d or"
                + " PT15M\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void thresholdsOutOfRangeAreAllNamedAtOnce() {
    Run r =
        run(
            "monitor",
            "start",
            "--model",
            "credit-default",
            "--psi",
            "150",
            "--p-value",
            "2",
            "--drifted-share",
            "-0.1",
            "--cooldown",
            "400d");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            """
            error: --psi: must be between 0 and 100 (got 150.0)
            error: --p-value: must be between 0 and 1 (got 2.0)
            error: --drifted-share: must be between 0 and 1 (got -0.1)
            error: --cooldown: must be from 0s to 365d (got '400d')
            """);
  }

  @Test
  void aNumberThatIsNoNumberIsAUsageError() {
    Run r = run("monitor", "start", "--model", "credit-default", "--psi", "high");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Invalid value for option '--psi': 'high' is not a double");
  }

  @Test
  void aModelNameOutsideTheFormatIsRefusedByEveryCommand() {
    String expected =
        "error: model: must be 1-63 lower-case letters, digits or '-', starting with a letter or"
            + " digit (got 'Credit_Default')\n";
    for (String[] args :
        List.of(
            new String[] {"monitor", "start", "--model", "Credit_Default"},
            new String[] {"monitor", "stop", "--model", "Credit_Default"},
            new String[] {"monitor", "status", "--model", "Credit_Default"},
            new String[] {"monitor", "check-now", "--model", "Credit_Default"},
            new String[] {"drift", "--model", "Credit_Default", "--all"})) {
      Run r = run(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).isEqualTo(expected);
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void optionsOverrideThePolicyFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.json");
    Files.writeString(
        file,
        """
        {"interval": "2h", "minRows": 1000, "psi": 0.5, "critical": ["age"],
         "features": {"income": {"psi": 0.1}}, "keepReports": 5}
        """);

    DriftMonitorRequest request =
        startCommand(
                "--model",
                "credit-default",
                "--policy-file",
                file.toString(),
                "--psi",
                "0.25",
                "--critical",
                "income,age",
                "--cooldown",
                "6h")
            .request();

    assertThat(request.problems()).isEmpty();
    assertThat(request.policy())
        .isEqualTo(
            new DriftPolicy(
                "2h",
                null,
                1000,
                0.25,
                null,
                Map.of("income", new DriftPolicy.FeatureThreshold(0.1, null)),
                null,
                List.of("income", "age"),
                null,
                null,
                null,
                "6h",
                5));
  }

  @Test
  void withoutPolicyOptionsTheMonitorTakesTheDefaults() {
    assertThat(startCommand("--model", "credit-default").request())
        .isEqualTo(DriftMonitorRequest.of("credit-default"));
  }

  @Test
  void problemsFromThePolicyFileSayWhereTheyCameFrom(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.json");
    Files.writeString(file, "{\"minRows\": 0, \"window\": \"1h\"}");

    Run r =
        run(
            "monitor",
            "start",
            "--model",
            "credit-default",
            "--policy-file",
            file.toString(),
            "--window",
            "forever");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: --window: 'forever' is not a duration: write e.g. 90s, 15m, 2h, 7d or PT15M\n"
                + "error: policy.minRows: must be between 1 and 1000000000 (got 0) (in "
                + file
                + ")\n");
  }

  @Test
  void aPolicyFileWithAnUnknownFieldOrNoneAtAllIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.json");
    Files.writeString(file, "{\"psii\": 0.3}");

    Run typo = run("monitor", "start", "--model", "m", "--policy-file", file.toString());
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err())
        .startsWith("error: --policy-file " + file + " is not a DriftPolicy: Unrecognized field")
        .contains("\"psii\"")
        .contains("(line 1, column ");

    Path missing = dir.resolve("nope.json");
    Run none = run("monitor", "start", "--model", "m", "--policy-file", missing.toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("error: --policy-file " + missing + ": no such file\n");
  }

  private static MonitorStart startCommand(String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "monitor";
    args[1] = "start";
    System.arraycopy(options, 0, args, 2, options.length);
    CommandLine.ParseResult parsed = PerennialCommand.commandLine().parseArgs(args);
    return (MonitorStart) parsed.subcommand().subcommand().commandSpec().userObject();
  }
}
