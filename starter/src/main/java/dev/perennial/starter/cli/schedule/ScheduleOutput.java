package dev.perennial.starter.cli.schedule;

import dev.perennial.starter.cli.TextTable;
import dev.perennial.starter.ops.ScheduleDetails;
import dev.perennial.starter.ops.ScheduleSummary;
import dev.perennial.starter.ops.Schedules;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** How the schedule subcommands print schedules and the server's refusals. */
final class ScheduleOutput {
  private ScheduleOutput() {}

  /** The first three times the schedule acts next, or "none". */
  static void nextRuns(List<Instant> next, PrintWriter out) {
    out.printf(
        "  next runs: %s%n",
        next.isEmpty()
            ? "none"
            : String.join(", ", next.stream().limit(3).map(Instant::toString).toList()));
  }

  static void list(List<ScheduleSummary> schedules, PrintWriter out) {
    TextTable table =
        new TextTable("schedule", "model", "pipeline", "paused", "next run", "recent runs");
    schedules.forEach(
        s ->
            table.row(
                s.id(),
                s.model(),
                s.workflowType(),
                s.paused() ? "yes" : "no",
                s.nextRun(),
                s.recentRuns()));
    table.print(out);
  }

  static void details(ScheduleDetails d, PrintWriter out) {
    out.printf("Schedule %s%n", d.id());
    // The server keeps cron strings as calendar specs; the note says what was asked.
    out.printf("  spec:      %s (time zone %s)%n", d.note(), d.timeZone());
    out.printf(
        "  overlap:   %s, catch-up window %s, jitter %s%n",
        d.overlap(), d.catchupWindow(), d.jitter());
    out.printf("  paused:    %s%n", d.paused() ? "yes" : "no");
    out.printf(
        "  actions:   %d taken, %d skipped for overlap, %d missed%n",
        d.actions(), d.skippedForOverlap(), d.missedCatchupWindow());
    d.recent().forEach(a -> out.printf("  ran:       %s at %s%n", a.action(), a.startedAt()));
    nextRuns(d.nextRuns(), out);
  }

  static void unsupported(PrintWriter err) {
    err.println(
        "error: this Temporal server has no Schedules API (the embedded Java test server"
            + " lacks it).");
    err.println(
        "  Use the real dev server (infra/local/install-servers.sh, then ./perennial up) or a"
            + " Temporal cluster.");
    err.println(
        "  Fallback without Schedules: `perennial schedule create ... --cron-workflow` starts"
            + " a cron workflow instead (no pause, backfill or Schedules page).");
    err.flush();
  }

  static void refused(Schedules.Refused e, PrintWriter err) {
    // Otherwise all that shows is the SDK's "Schedule exception".
    err.println("error: Temporal refused the schedule: " + e.reason());
    err.flush();
  }
}
