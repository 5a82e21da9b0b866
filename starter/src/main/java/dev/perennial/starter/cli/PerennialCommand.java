package dev.perennial.starter.cli;

import dev.perennial.starter.cli.monitor.MonitorCommand;
import dev.perennial.starter.cli.schedule.ScheduleCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code perennial} command line. */
@Command(
    name = "perennial",
    mixinStandardHelpOptions = true,
    versionProvider = PerennialCommand.Version.class,
    description = "Continuous training of machine-learning models as durable Temporal workflows.",
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      GenerateCommand.class,
      TrainCommand.class,
      ScoreCommand.class,
      RunCommand.class,
      StatusCommand.class,
      ApproveCommand.class,
      RejectCommand.class,
      DataCommand.class,
      ModelsCommand.class,
      ScheduleCommand.class,
      RollbackCommand.class,
      MonitorCommand.class,
      DriftCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:the operation failed (the message says why)",
      "2:invalid command line",
      "3:a server (Temporal or S3) cannot be reached"
    })
public final class PerennialCommand implements Runnable {
  @Option(
      names = "--verbose",
      description = "Print stack traces of errors.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new PerennialCommand());
    // "--input @file.json" names a JSON file, not a file of arguments to splice in.
    cli.setExpandAtFiles(false);
    cli.setDefaultValueProvider(new ConnectionDefaults());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          boolean verbose = parseResult.hasMatchedOption("--verbose");
          int code = Exit.report(e, err);
          if (verbose) {
            e.printStackTrace(err);
          }
          err.flush();
          return code;
        });
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"perennial " + dev.perennial.core.BuildInfo.codeVersion()};
    }
  }
}
