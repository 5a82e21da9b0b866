package dev.perennial.starter.cli;

import dev.perennial.core.plugins.Plugins;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.starter.stack.Endpoints;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code perennial up}: the embedded stack and a worker, in the foreground. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Run the embedded stack (S3, Temporal, worker) in the foreground until Ctrl-C.",
      "Other perennial commands in another terminal find it through <data-dir>/stack.json."
    })
final class UpCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "${PERENNIAL_DATA_DIR:-.perennial}",
      description = "Where S3 objects and the Temporal database live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--temporal-port",
      defaultValue = "7233",
      description = "Temporal gRPC port (default: ${DEFAULT-VALUE}).")
  int temporalPort;

  @Option(
      names = "--ui-port",
      defaultValue = "8233",
      description = "Temporal Web UI port, dev server only (default: ${DEFAULT-VALUE}).")
  int uiPort;

  @Option(
      names = "--s3-port",
      defaultValue = "9000",
      description = "S3 port (default: ${DEFAULT-VALUE}).")
  int s3Port;

  @Option(
      names = "--s3-console-port",
      defaultValue = "9001",
      description = "MinIO console port, MinIO only (default: ${DEFAULT-VALUE}).")
  int s3ConsolePort;

  @Option(
      names = "--worker-port",
      defaultValue = "8081",
      description = "Worker actuator port (default: ${DEFAULT-VALUE}).")
  int workerPort;

  @Option(
      names = "--serving-port",
      defaultValue = "8080",
      description = "Model server port (default: ${DEFAULT-VALUE}).")
  int servingPort;

  @Option(
      names = "--plugins",
      paramLabel = "DIR[:DIR...]",
      defaultValue = "${PERENNIAL_PLUGINS:-}",
      converter = PluginPath.class,
      description = {
        "Directories (or jars) of your pipelines' and trainers' jars, separated like a class path,",
        "for the worker and the model server (default: PERENNIAL_PLUGINS)."
      })
  String plugins;

  /** A plug-in path that cannot be loaded is a usage error naming the entry. */
  static final class PluginPath implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        Plugins.load(value);
      } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
        throw new TypeConversionException(e.getMessage());
      }
      return value;
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Starting the embedded stack in %s%n", dataDir.toAbsolutePath());
    DevStack stack =
        DevStack.start(
            dataDir,
            new DevStack.Ports(
                temporalPort, uiPort, s3Port, s3ConsolePort, workerPort, servingPort),
            DevStack.External.fromEnvironment(),
            DevStack.ServerChoice.AUTO,
            true,
            plugins,
            out);
    stack.endpoints().write(dataDir);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping...");
                  out.flush();
                  Endpoints.forget(dataDir);
                },
                "perennial-forget-stack"));
    out.println();
    out.println("Ready. In another terminal:");
    out.println("  ./perennial generate --model credit-default --days 30");
    out.println("  ./perennial train --model credit-default --wait");
    out.println("  ./perennial models --model credit-default");
    out.printf(
        "The model server's API key is servingApiKey in %s.%n",
        dataDir.resolve(Endpoints.STACK_FILE));
    out.println("Press Ctrl-C to stop.");
    out.flush();
    // Runs until Ctrl-C; the stack's own shutdown hook stops the servers.
    new CountDownLatch(1).await();
    return 0;
  }
}
