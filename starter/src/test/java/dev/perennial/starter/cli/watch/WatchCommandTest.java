package dev.perennial.starter.cli.watch;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.cli.PerennialCommandTest.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code watch} on the command line: options, and the refusals that happen before any server is
 * asked (none runs here). On a running stack: {@code StackCommands}.
 */
class WatchCommandTest {

  @Test
  void helpListsTheSubcommandsAndPolicyOptions() {
    Run watch = run("watch", "--help");
    assertThat(watch.code()).isZero();
    assertThat(watch.out()).contains("start", "stop", "status", "check-now", "data-watch-");
    assertThat(run("--help").out()).contains("watch");

    assertThat(run("watch", "start", "--help").out())
        .contains(
            "--poll-interval=DURATION",
            "--min-new-partitions=N",
            "--min-interval=DURATION",
            "--since=DATE",
            "--bucket",
            "--prefix",
            "--workflow-type=TYPE");
  }

  @Test
  void everyCommandRequiresTheModel() {
    for (String sub : List.of("start", "stop", "status", "check-now")) {
      Run r = run("watch", sub);
      assertThat(r.code()).as(sub).isEqualTo(2);
      assertThat(r.err()).contains("Missing required option: '--model=<model>'");
    }
  }

  @Test
  void badPolicyValuesAreAllNamedByTheirOptions() {
    Run r =
        run(
            "watch",
            "start",
            "--model",
            "credit-default",
            "--poll-interval",
            "0s",
            "--min-new-partitions",
            "0",
            "--min-interval",
            "fortnightly",
            "--since",
            "yesterday",
            "--workflow-type",
            "DataWatch");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            String.join(
                "\n",
                "error: --since: must be an ISO date like 2026-01-31 (got 'yesterday')",
                "error: --workflow-type: 'DataWatch' is no pipeline; give a pipeline's workflow"
                    + " type, e.g. ContinuousTraining",
                "error: --poll-interval: must be from 1s to 30d (got '0s')",
                "error: --min-new-partitions: must be from 1 to 3660 new daily partitions (got 0)",
                "error: --min-interval: 'fortnightly' is not a duration: write e.g. 90s, 15m, 2h,"
                    + " 7d or PT15M",
                ""));
    assertThat(r.out()).isEmpty();
  }
}
