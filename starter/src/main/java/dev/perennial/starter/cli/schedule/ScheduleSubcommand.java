package dev.perennial.starter.cli.schedule;

import dev.perennial.starter.cli.CliConnection;
import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.Schedules;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** What the schedule subcommands share: the connection and the server's refusals explained. */
abstract class ScheduleSubcommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin CliConnection connection;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Runs {@code work} on the server's schedules; explains a server without the Schedules API. */
  int withSchedules(ToIntFunction<Schedules> work) {
    try {
      return work.applyAsInt(new Schedules(connection.workflowClient()));
    } catch (Schedules.Unsupported e) {
      ScheduleOutput.unsupported(spec.commandLine().getErr());
      return Exit.FAILED;
    } catch (Schedules.Refused e) {
      ScheduleOutput.refused(e, spec.commandLine().getErr());
      return Exit.FAILED;
    } finally {
      connection.close();
      out().flush();
    }
  }

  /** Does {@code action} to the model's schedule and reports it as "{@code done} <id>". */
  int onSchedule(ModelOption model, String done, Consumer<Schedules> action) {
    return withSchedules(
        schedules -> {
          action.accept(schedules);
          out().printf("%s %s%n", done, model.scheduleId());
          return 0;
        });
  }
}
