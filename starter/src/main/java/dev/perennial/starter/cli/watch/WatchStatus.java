package dev.perennial.starter.cli.watch;

import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.Watches;
import dev.perennial.starter.ops.Watches.Watch;
import dev.perennial.workflows.watch.DataWatchStatus;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code perennial watch status}: one screen about the model's data watch. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show the model's data watch: policy, last partition acted on, pending new days, next"
            + " check, last retraining started.")
final class WatchStatus extends WatchSubcommand {
  @Override
  public Integer call() {
    return withClient(
        client -> {
          Optional<Watch> found = Watches.find(client, model);
          if (found.isEmpty()) {
            out().println(WatchOutput.noWatch(model));
            return Exit.FAILED;
          }
          Watch w = found.get();
          out().printf("Watch %s (%s, run %s)%n", w.workflowId(), w.state(), w.runId());
          if (w.status() != null) {
            DataWatchStatus s = w.status();
            out()
                .printf(
                    "  phase:        %s%s%n",
                    s.phase(), s.message() == null ? "" : " — " + s.message());
            out().printf("  watches:      s3://%s/%s%n", s.bucket(), s.prefix());
            WatchOutput.policy(s.policy(), out());
            if (w.running() && s.nextCheckAt() != null) {
              out().printf("  next check:   %s%n", s.nextCheckAt());
            }
          } else if (w.result() != null) {
            out().printf("  phase:        STOPPED — %s%n", w.result().reason());
          } else {
            out()
                .printf(
                    "  %s (%s) did not answer its status query: %s%n",
                    w.workflowId(), w.state(), w.unanswered());
            return Exit.FAILED;
          }
          WatchOutput.state(w.watched(), out());
          if (!w.running()) {
            out().printf("Start a new one with: perennial watch start --model %s%n", model);
          }
          return 0;
        });
  }
}
