package dev.perennial.starter.cli;

import dev.perennial.starter.demo.Demo;
import dev.perennial.starter.stack.DevStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial demo}: the whole continuous-training loop on the embedded stack. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded stack (with a model server), generate credit-default data, train v1",
      "(champion), send it traffic with labels, retrain (v2 passes the gate and a canary and is",
      "promoted), show a candidate refused by the gate, a candidate trained on corrupted labels",
      "rolled back by its canary, a dataset refused by validation and a manual rollback; then",
      "a drift monitor notices drifted traffic and retrains by itself (gate, canary); print the",
      "registry, stop."
    })
final class DemoCommand implements Callable<Integer> {
  static final String MODEL = "credit-default";
  private static final java.time.format.DateTimeFormatter STAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "${PERENNIAL_DATA_DIR:-.perennial}",
      description = "The demo works in <data-dir>/demo, emptied first (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--rows-per-day",
      defaultValue = "4000",
      description = "Rows per daily partition (default: ${DEFAULT-VALUE}).")
  int rowsPerDay;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Data seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    long started = System.nanoTime();
    Path dir = dataDir.resolve("demo");
    deleteRecursively(dir);
    DevStack.External external = DevStack.External.fromEnvironment();
    // On a configured (shared, lasting) S3 the demo takes a fresh model name, so it starts with no
    // champion and leaves earlier runs alone; the embedded S3 is the demo's own.
    String model =
        external.s3() == null
            ? MODEL
            : MODEL + "-demo-" + java.time.LocalDateTime.now().format(STAMP);
    out.println("== Perennial demo: continuous training of '" + model + "'");
    try (DevStack stack =
        DevStack.startOnFreePorts(dir, external, DevStack.ServerChoice.AUTO, out)) {
      CliConnection connection = new CliConnection();
      connection.dataDir = dir;
      connection.use(stack.endpoints());
      try {
        new Demo(
                connection.workflowClient(),
                connection.objectStore(),
                connection::registry,
                connection.endpoints(),
                model,
                rowsPerDay,
                seed,
                out)
            .run();
      } finally {
        connection.close();
      }
    }
    out.printf(
        "%nDemo finished in %d s. Run it again any time; its files are in %s%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), dir);
    out.flush();
    return 0;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
