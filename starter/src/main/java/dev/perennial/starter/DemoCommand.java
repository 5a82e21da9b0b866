package dev.perennial.starter;

import dev.perennial.activities.data.CreditDefaultGenerator;
import dev.perennial.activities.data.GeneratorSpec;
import dev.perennial.activities.store.ObjectStore;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.training.Algorithm;
import dev.perennial.workflows.training.Hyperparameters;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
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
      "Start the embedded stack, generate credit-default data, train v1 (champion), retrain on",
      "more data (v2 judged against the champion), show a candidate refused by the gate and a",
      "dataset refused by validation, print the registry, stop."
    })
final class DemoCommand implements Callable<Integer> {
  static final String MODEL = "credit-default";
  private static final java.time.format.DateTimeFormatter STAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);

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
        run(connection, model, out);
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

  private void run(CliConnection connection, String model, PrintWriter out) throws Exception {
    ObjectStore store = connection.objectStore();
    WorkflowClient client = connection.workflowClient();
    CreditDefaultGenerator generator = new CreditDefaultGenerator();
    String bucket = DatasetSpec.DEFAULT_BUCKET;
    String prefix = model + "/";

    step(out, "1. Generate 12 days of data, " + rowsPerDay + " rows a day");
    generator.generate(store, bucket, prefix, GeneratorSpec.clean(seed, FIRST_DAY, 12, rowsPerDay));
    out.printf(
        "   s3://%s/%sdt=%s .. dt=%s (+ _schema.json)%n",
        bucket, prefix, FIRST_DAY, FIRST_DAY.plusDays(11));

    step(
        out,
        "2. Train v1 on the first 8 days: no champion yet, so passing the gate makes it champion");
    train(client, request(model, range(0, 7), null), out);

    step(
        out,
        "3. Retrain on all 12 days: v2 is judged against the champion on the same held-out days");
    train(client, request(model, range(0, 11), null), out);

    step(out, "4. An under-fitted candidate (3 shallow trees) is refused by the gate");
    Hyperparameters weak =
        new Hyperparameters(
            Algorithm.GRADIENT_BOOSTING, 3, 2, 4, null, 0.05, null, null, null, null, null);
    train(client, request(model, range(0, 11), weak), out);

    step(
        out,
        "5. A broken feed arrives for day 13 (ages negative, income column empty): validation refuses it");
    BrokenFeed.write(store, bucket, prefix, FIRST_DAY.plusDays(12), seed, rowsPerDay);
    try {
      train(client, request(model, range(0, 12), null), out);
      throw new IllegalStateException("validation should have refused the broken day");
    } catch (WorkflowFailedException e) {
      PerennialCommand.report(e, out);
    }

    step(out, "6. The registry");
    var registry = connection.registry();
    ModelsCommand.print(model, registry.versions(model), registry.aliases(model), out);
  }

  private static DatasetSpec range(int fromDay, int toDay) {
    return new DatasetSpec(
        null,
        null,
        FIRST_DAY.plusDays(fromDay).toString(),
        FIRST_DAY.plusDays(toDay).toString(),
        null,
        null);
  }

  private static ContinuousTrainingRequest request(
      String model, DatasetSpec dataset, Hyperparameters hp) {
    return new ContinuousTrainingRequest(
        model, Trigger.MANUAL, dataset, hp, null, null, null, null, "demo");
  }

  private static void train(
      WorkflowClient client, ContinuousTrainingRequest request, PrintWriter out) {
    if (TrainCommand.start(client, request, true, out) != 0) {
      throw new IllegalStateException("could not start the run");
    }
  }

  private static void step(PrintWriter out, String title) {
    out.println();
    out.println("== " + title);
    out.flush();
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
