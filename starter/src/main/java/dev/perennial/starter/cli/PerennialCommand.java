package dev.perennial.starter.cli;

import dev.perennial.starter.cli.monitor.MonitorCommand;
import dev.perennial.starter.cli.schedule.ScheduleCommand;
import dev.perennial.starter.ops.Causes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
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
    subcommands = {
      DemoCommand.class,
      UpCommand.class,
      GenerateCommand.class,
      TrainCommand.class,
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
  public static final int FAILED = 1;

  /** Who runs the command, for the audit: the login, or {@code cli} when the JVM knows none. */
  public static String user() {
    String name = System.getProperty("user.name", "");
    return name.isBlank() ? "cli" : name;
  }

  /** Exit code of a request refused before anything started. */
  static final int REFUSED = 2;

  static final int UNREACHABLE = 3;

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
          int code = report(e, err);
          if (verbose) {
            e.printStackTrace(err);
          }
          err.flush();
          return code;
        });
    return cli;
  }

  /** One actionable line per failure instead of a stack trace. */
  static int report(Throwable e, PrintWriter err) {
    StatusRuntimeException grpc = Causes.find(e, StatusRuntimeException.class);
    if (grpc != null
        && (grpc.getStatus().getCode() == Status.Code.UNAVAILABLE
            || grpc.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED)) {
      err.println(
          "error: cannot reach Temporal ("
              + grpc.getStatus().getCode()
              + "). Is `./perennial up` running, or --temporal / PERENNIAL_TEMPORAL_ADDRESS set?");
      return UNREACHABLE;
    }
    var store = Causes.find(e, dev.perennial.core.store.ObjectStore.ObjectStoreException.class);
    if (store != null) {
      err.println(
          "error: S3 failed: "
              + store.getMessage()
              + ". Is `./perennial up` running, or --s3-endpoint / PERENNIAL_S3_* set?");
      return UNREACHABLE;
    }
    if (e instanceof WorkflowFailedException wf) {
      ApplicationFailure af = Causes.find(wf, ApplicationFailure.class);
      err.println(
          "error: the workflow failed: "
              + (af != null ? af.getOriginalMessage() : String.valueOf(wf.getCause())));
      return FAILED;
    }
    err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    return FAILED;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"perennial " + dev.perennial.core.BuildInfo.codeVersion()};
    }
  }

  /**
   * Prints each problem as an {@code error:} line and returns {@link #REFUSED}; null when there are
   * none, so the command goes on.
   */
  public static Integer refuse(List<String> problems, PrintWriter err) {
    if (problems.isEmpty()) {
      return null;
    }
    problems.forEach(p -> err.println("error: " + p));
    err.flush();
    return REFUSED;
  }
}
