package dev.perennial.starter.cli;

import dev.perennial.starter.cli.monitor.MonitorCommand;
import dev.perennial.starter.cli.schedule.ScheduleCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code perennial} command line. */
@Command(
    name = "perennial",
    mixinStandardHelpOptions = true,
    versionProvider = PerennialCommand.Version.class,
    description = "Continuous training of machine-learning models as durable Temporal workflows.",
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

  /** The subcommands, in the order {@code --help} lists them. */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
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
          CommandLine.HelpCommand.class);

  public static void main(String[] args) {
    System.exit(commandLine(args.length > 0 ? args[0] : null).execute(args));
  }

  /** The whole command line, every subcommand in it. */
  public static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * The command line for arguments that begin with {@code first}: when that names a subcommand
   * (other than {@code help}, which needs them all), the root holds only that one. Building the
   * model of every subcommand from its annotations took a third of a short command's time, and the
   * run of one subcommand sees no other. Anything else (root options, a misspelt name) gets them
   * all, so usage, help and suggestions are what they always were.
   */
  static CommandLine commandLine(String first) {
    boolean one =
        first != null
            && !first.equals("help")
            && SUBCOMMANDS.stream().anyMatch(c -> nameOf(c).equals(first));
    CommandLine cli = new CommandLine(new PerennialCommand());
    for (Class<?> sub : SUBCOMMANDS) {
      if (!one || nameOf(sub).equals(first)) {
        cli.addSubcommand(sub);
      }
    }
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

  private static String nameOf(Class<?> subcommand) {
    return subcommand.getAnnotation(Command.class).name();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"perennial " + dev.perennial.core.BuildInfo.codeVersion()};
    }
  }
}
