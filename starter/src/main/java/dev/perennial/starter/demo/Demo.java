package dev.perennial.starter.demo;

import static dev.perennial.starter.demo.DemoPlan.BAKE;
import static dev.perennial.starter.demo.DemoPlan.FIRST_DAY;
import static dev.perennial.starter.demo.DemoPlan.TRAFFIC_PER_THREAD;
import static dev.perennial.starter.demo.DemoPlan.TRAFFIC_THREADS;
import static dev.perennial.starter.demo.DemoPlan.range;
import static dev.perennial.starter.demo.DemoPlan.training;

import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.data.BrokenFeed;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.traffic.TrafficGenerator;
import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.cli.ModelsOutput;
import dev.perennial.starter.cli.RollbackOutput;
import dev.perennial.starter.cli.RunOutput;
import dev.perennial.starter.ops.RegistryReads;
import dev.perennial.starter.ops.Rollbacks;
import dev.perennial.starter.stack.Endpoints;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import dev.perennial.workflows.rollback.RollbackRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The demo's scenario on a running stack: data, v1, traffic, a promoted v2, a candidate refused by
 * the gate, one rolled back by its canary, a refused dataset, a manual rollback, then {@link
 * DriftAct}, and the registry at the end. It goes through the operations layer and prints with the
 * command line's printers, so what it shows is what the commands show.
 *
 * @param client Temporal client of the stack
 * @param store the stack's object store
 * @param registry the model registry, built when first needed
 * @param endpoints where the stack's servers are: the model server and its key, the Web UI
 * @param model the model's name
 * @param rowsPerDay rows per daily partition
 * @param seed data seed
 * @param out where it tells what happens
 */
public record Demo(
    WorkflowClient client,
    ObjectStore store,
    Supplier<ModelRegistry> registry,
    Endpoints endpoints,
    String model,
    int rowsPerDay,
    long seed,
    PrintWriter out) {

  /** Runs the scenario; throws when a step does not end as the demo shows it. */
  public void run() throws java.io.IOException, InterruptedException {
    CreditDefaultGenerator generator = new CreditDefaultGenerator();
    String bucket = DatasetSpec.DEFAULT_BUCKET;
    String prefix = model + "/";

    step("1. Generate 12 days of data, " + rowsPerDay + " rows a day");
    generator.generate(store, bucket, prefix, GeneratorSpec.clean(seed, FIRST_DAY, 12, rowsPerDay));
    out.printf(
        "   s3://%s/%sdt=%s .. dt=%s (+ _schema.json)%n",
        bucket, prefix, FIRST_DAY, FIRST_DAY.plusDays(11));

    step("2. Train v1 on the first 8 days: no champion yet, so passing the gate makes it champion");
    train(training(model, range(0, 7), null));

    step(
        "3. Users arrive: "
            + TRAFFIC_THREADS * TRAFFIC_PER_THREAD
            + " requests/s to "
            + endpoints.servingAddress()
            + ", each followed by its true label");
    List<TrafficGenerator.Row> rows =
        TrafficGenerator.rows(seed + 1, FIRST_DAY.plusDays(30), 1, rowsPerDay);
    try (TrafficGenerator traffic =
        new TrafficGenerator(
            endpoints.servingAddress(),
            endpoints.servingApiKey(),
            model,
            rows,
            TRAFFIC_THREADS,
            TRAFFIC_PER_THREAD)) {
      awaitAnswers(traffic, 1);

      step(
          "4. Retrain on all 12 days: v2 passes the gate, then earns its traffic in a canary"
              + " (25 -> 50 -> 100 %, "
              + BAKE
              + " bakes, compared with v1 on errors, p99 latency and online quality)");
      train(training(model, range(0, 11), null));

      step("5. An under-fitted candidate (3 shallow trees) is refused by the gate");
      train(training(model, range(0, 11), DemoPlan.WEAK));
      out.println(
          "   Asked again with the same data and options, the step cache answers: nothing trains");
      train(training(model, range(0, 11), DemoPlan.WEAK));

      String relabelled = model + "-relabelled/";
      step(
          "6. A label feed with a mapping bug (0 and 1 swapped) makes a candidate that passes the"
              + " gate, which scores it on the same swapped labels; its canary sees the users' true"
              + " labels and rolls it back");
      generator.generate(
          store,
          bucket,
          relabelled,
          new GeneratorSpec(seed + 2, FIRST_DAY, 12, rowsPerDay, null, 0, 0, 1.0));
      out.printf("   s3://%s/%s (12 days, every label swapped)%n", bucket, relabelled);
      train(training(model, range(relabelled, 0, 11), null));

      step(
          "7. A broken feed arrives for day 13 (ages negative, income column empty): validation"
              + " refuses it");
      BrokenFeed.write(store, bucket, prefix, FIRST_DAY.plusDays(12), seed, rowsPerDay);
      try {
        train(training(model, range(0, 12), null));
        throw new IllegalStateException("validation should have refused the broken day");
      } catch (WorkflowFailedException e) {
        Exit.report(e, out);
      }

      step("8. Manual rollback: v1 is champion again, in seconds");
      RollbackOutput.print(
          Rollbacks.run(client, new RollbackRequest(model, 1, "demo: manual rollback", "demo")),
          out);
      awaitAnswers(traffic, 1);

      new DriftAct(this, traffic).run();

      step("13. The registry, and what the users saw");
      ModelsOutput.table(RegistryReads.listing(registry.get(), model, false), out);
      out.printf(
          "   answers by version: %s; failed requests: %d%s%n",
          traffic.answersByVersion(),
          traffic.failures(),
          traffic.lastFailure() == null ? "" : " (last: " + traffic.lastFailure() + ")");
    }
  }

  /** Waits until the model server answers with {@code version}, then prints how long it took. */
  void awaitAnswers(TrafficGenerator traffic, int version) throws InterruptedException {
    long start = System.nanoTime();
    long before = traffic.answersByVersion().getOrDefault(version, 0L);
    while (traffic.answersByVersion().getOrDefault(version, 0L) < before + 20) {
      if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
        throw new IllegalStateException(
            "the model server did not answer with v"
                + version
                + " within 60 s (last failure: "
                + traffic.lastFailure()
                + ")");
      }
      Thread.sleep(100);
    }
    out.printf(
        "   the model server answers with v%d (%.1f s); answers so far by version: %s%n",
        version, (System.nanoTime() - start) / 1e9, traffic.answersByVersion());
    out.flush();
  }

  /** Starts the run and follows it to its end, printing as {@code perennial train --wait}. */
  private void train(ContinuousTrainingRequest request) {
    if (RunOutput.train(client, request, true, out) != 0) {
      throw new IllegalStateException("could not start the run");
    }
  }

  /** Prints a step's title. */
  void step(String title) {
    out.println();
    out.println("== " + title);
    out.flush();
  }
}
