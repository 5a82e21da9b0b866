package dev.perennial.starter.cli;

import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.workflows.dataset.DatasetSpec;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial generate}: synthetic credit-default data in S3. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write seeded synthetic credit-default data as daily gzip CSV partitions plus its schema.",
      "Each day is reproducible from the seed alone; drift can be injected from a given day."
    })
final class GenerateCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      defaultValue = "credit-default",
      description = "Prefix <model>/ (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--bucket",
      defaultValue = DatasetSpec.DEFAULT_BUCKET,
      description = "Data bucket (default: ${DEFAULT-VALUE}).")
  String bucket;

  @Option(
      names = "--first-day",
      converter = OptionTypes.DateConverter.class,
      description = "First day, ISO date (default: <days> days before today).")
  LocalDate firstDay;

  @Option(
      names = "--days",
      defaultValue = "30",
      converter = OptionTypes.PositiveInt.class,
      description = "Number of daily partitions (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--rows-per-day",
      defaultValue = "10000",
      converter = OptionTypes.PositiveInt.class,
      description = "Rows per day (default: ${DEFAULT-VALUE}).")
  int rowsPerDay;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--drift-from",
      converter = OptionTypes.DateConverter.class,
      description = "First drifted day, ISO date.")
  LocalDate driftFrom;

  @Option(
      names = "--covariate-drift",
      defaultValue = "0",
      description = "Feature-distribution shift 0..1 from --drift-from.")
  double covariateDrift;

  @Option(
      names = "--concept-drift",
      defaultValue = "0",
      description = "Label-relationship change 0..1 from --drift-from.")
  double conceptDrift;

  @Option(
      names = "--label-noise",
      defaultValue = "0",
      description = "Share of flipped labels 0..1.")
  double labelNoise;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LocalDate first = firstDay != null ? firstDay : LocalDate.now().minusDays(days);
    GeneratorSpec spec;
    try {
      spec =
          new GeneratorSpec(
              seed, first, days, rowsPerDay, driftFrom, covariateDrift, conceptDrift, labelNoise);
    } catch (IllegalArgumentException e) {
      // The generator's own limits (at most 3660 days, drift shares 0..1) are usage errors too.
      throw new picocli.CommandLine.ParameterException(this.spec.commandLine(), e.getMessage());
    }
    var store = connection.objectStore();
    store.ensureBucket(bucket);
    var keys = new CreditDefaultGenerator().generate(store, bucket, model + "/", spec);
    out.printf(
        "Wrote %d objects (%d days x %d rows) to s3://%s/%s%n",
        keys.size(), days, rowsPerDay, bucket, model + "/");
    out.flush();
    return 0;
  }
}
