package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.starter.stack.DevStack;
import io.temporal.testserver.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schedule} against Temporal's Java test server, which has no Schedules API: each subcommand
 * explains that, names the fallback, and exits 1.
 */
class ScheduleCommandOnTestServerTest {
  static final String UNSUPPORTED =
      "error: this Temporal server has no Schedules API (the embedded Java test server lacks it).\n"
          + "  Use the real dev server (infra/local/install-servers.sh, then ./perennial up) or a"
          + " Temporal cluster.\n"
          + "  Fallback without Schedules: `perennial schedule create ... --cron-workflow` starts"
          + " a cron workflow instead (no pause, backfill or Schedules page).\n";

  @TempDir Path dir;
  TestServer.PortBoundTestServer server;
  String target;

  @BeforeEach
  void start() throws Exception {
    int port = DevStack.freePort();
    server = TestServer.createPortBoundServer(port, true);
    target = "127.0.0.1:" + port;
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private Run schedule(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "schedule";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--temporal";
    all[args.length + 2] = target;
    all[args.length + 3] = "--data-dir";
    all[args.length + 4] = dir.toString();
    return run(all);
  }

  @Test
  void eachSubcommandExplainsTheMissingSchedulesApi() {
    for (String[] args :
        new String[][] {
          {"create", "--model", "weekly", "--cron", "0 2 * * MON"},
          {"list"},
          {"describe", "--model", "weekly"},
          {"pause", "--model", "weekly"},
          {"unpause", "--model", "weekly"},
          {"trigger", "--model", "weekly"},
          {"backfill", "--model", "weekly", "--from", "2026-01-05", "--to", "2026-01-06"},
          {"delete", "--model", "weekly"}
        }) {
      Run r = schedule(args);
      assertThat(r.code()).as(args[0]).isEqualTo(1);
      assertThat(r.err()).as(args[0]).isEqualTo(UNSUPPORTED);
      assertThat(r.out()).as(args[0]).isEmpty();
    }
  }
}
