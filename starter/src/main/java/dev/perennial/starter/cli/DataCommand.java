package dev.perennial.starter.cli;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.starter.ops.Datasets;
import dev.perennial.starter.ops.LocalDataset;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.dataset.DatasetSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial data}: a model's training data in S3, uploaded from a local directory. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = {
      "A model's training data in S3: a schema at <prefix>_schema.json and daily partitions"
          + " <prefix>dt=YYYY-MM-DD/<name>.csv[.gz] (default bucket perennial-data, prefix"
          + " <model>/), as train and every pipeline read it."
    },
    subcommands = {DataCommand.Put.class, DataCommand.Ls.class})
final class DataCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where a model's data lives; the options every subcommand takes. */
  static class Location {
    @Option(names = "--model", required = true, description = "Model name.")
    String model;

    @Option(names = "--bucket", description = "Data bucket (default perennial-data).")
    String bucket;

    @Option(names = "--prefix", description = "Object prefix (default <model>/).")
    String prefix;

    DatasetSpec spec() {
      return new DatasetSpec(bucket, prefix, null, null, null, null).withDefaults(model);
    }

    List<String> problems() {
      List<String> p = new ArrayList<>(new RequestProblems().name("model", model).list());
      if (bucket != null && bucket.isBlank()) {
        p.add("--bucket: must not be blank");
      }
      return p;
    }
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = {
        "Upload a local dataset directory: _schema.json and dt=YYYY-MM-DD/<name>.csv[.gz].",
        "Everything is checked first (the schema parses, every partition's date is valid, every"
            + " CSV header has the label and the features); any problem is reported, each with"
            + " its file, and nothing is uploaded (exit 2). Uploading again writes the same"
            + " objects under the same keys."
      })
  static final class Put implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin CliConnection connection;
    @Mixin Location location;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "DIR",
        description = "The local dataset directory.")
    Path from;

    @Override
    public Integer call() {
      List<String> problems = new ArrayList<>(location.problems());
      LocalDataset dataset = LocalDataset.check(from);
      problems.addAll(dataset.problems());
      Integer refused = Exit.refuse(problems, spec.commandLine().getErr());
      if (refused != null) {
        return refused;
      }
      return put(connection.objectStore(), location.spec(), dataset, spec.commandLine().getOut());
    }
  }

  /** Uploads a checked dataset; prints each object and the total. Returns the exit code. */
  static int put(ObjectStore store, DatasetSpec target, LocalDataset dataset, PrintWriter out) {
    Datasets.Upload upload =
        Datasets.upload(
            store,
            target,
            dataset,
            o -> out.printf("  s3://%s/%s  %d bytes%n", o.bucket(), o.key(), o.size()));
    out.printf(
        "Uploaded %d objects (%d bytes): schema %s and %d daily partitions to s3://%s/%s%n",
        upload.objects().size(),
        upload.bytes(),
        dataset.schema().name(),
        upload.partitions(),
        target.bucket(),
        target.prefix());
    out.flush();
    return 0;
  }

  @Command(
      name = "ls",
      mixinStandardHelpOptions = true,
      description =
          "Show a model's data in S3: the schema's label and features, and per day the"
              + " objects and their size.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin CliConnection connection;
    @Mixin Location location;

    @Override
    public Integer call() {
      Integer refused = Exit.refuse(location.problems(), spec.commandLine().getErr());
      if (refused != null) {
        return refused;
      }
      return ls(
          connection.objectStore(), location.model, location.spec(), spec.commandLine().getOut());
    }
  }

  /** Prints the schema and the partitions; exit 1 when there is nothing. */
  static int ls(ObjectStore store, String model, DatasetSpec at, PrintWriter out) {
    Datasets.Listing listing = Datasets.list(store, at);
    if (listing.empty()) {
      out.printf(
          "Nothing under s3://%s/%s. Upload a dataset with: perennial data put --model %s --from"
              + " DIR%n",
          at.bucket(), at.prefix(), model);
      out.flush();
      return Exit.FAILED;
    }
    out.printf("Data of %s in s3://%s/%s%n", model, at.bucket(), at.prefix());
    if (listing.schemaProblem() != null) {
      throw listing.schemaProblem();
    }
    FeatureSchema schema = listing.schema();
    if (schema == null) {
      out.printf("  schema:   none at %s (train refuses the data without one)%n", at.schemaKey());
    } else {
      out.printf("  schema:   %s, label %s%n", schema.name(), schema.label());
      out.printf(
          "  features: %s%n",
          String.join(
              ", ",
              schema.features().stream().map(f -> f.name() + " (" + f.type() + ")").toList()));
    }
    var days = listing.days();
    if (days.isEmpty()) {
      out.println("  no daily partitions dt=YYYY-MM-DD/");
    } else {
      out.printf("  %d daily partitions, %s to %s%n", days.size(), days.firstKey(), days.lastKey());
      TextTable table = new TextTable("day", "objects", "bytes");
      days.forEach((day, d) -> table.row(day, d.objects(), d.bytes()));
      table.print(out);
    }
    if (listing.other() > 0) {
      out.printf("  %d other objects under the prefix (not read by pipelines)%n", listing.other());
    }
    out.flush();
    return 0;
  }
}
