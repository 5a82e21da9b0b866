package dev.perennial.starter.cli.watch;

import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.starter.ops.Watches;
import dev.perennial.workflows.watch.DataWatchPolicy;
import dev.perennial.workflows.watch.DataWatchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code perennial watch start}: starts the model's data watch; problems are named by the option
 * that set them, and a prefix holding no data is refused before anything starts.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Start the model's data watch. It lists the model's partitions every --poll-interval until"
          + " stopped, and starts ContinuousTraining (trigger DATA) once --min-new-partitions new"
          + " days have landed, at most once per --min-interval and never while a retraining of"
          + " the model is open. The days there at the start are the baseline, unless --since.",
      "Exit 1 when a watch for the model is already running or the prefix holds no data."
    })
final class WatchStart extends WatchSubcommand {
  /** Request fields and the options that set them, for problems people can find. */
  private static final Map<String, String> OPTIONS =
      Map.of(
          "policy.pollInterval", "--poll-interval",
          "policy.minNewPartitions", "--min-new-partitions",
          "policy.minInterval", "--min-interval",
          "bucket", "--bucket",
          "prefix", "--prefix",
          "since", "--since",
          "workflowType", "--workflow-type");

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      description = "How often to list the data: 90s, 15m, 1h, PT1H (default 15m).")
  String pollInterval;

  @Option(
      names = "--min-new-partitions",
      paramLabel = "N",
      description = "New daily partitions to wait for before retraining (default 1).")
  Integer minNewPartitions;

  @Option(
      names = "--min-interval",
      paramLabel = "DURATION",
      description = "At most one retraining start per this period, e.g. 1d (default: no limit).")
  String minInterval;

  @Option(names = "--bucket", description = "Data bucket (default perennial-data).")
  String bucket;

  @Option(
      names = "--prefix",
      description = "Prefix of the dt=YYYY-MM-DD/ partitions (default <model>/).")
  String prefix;

  @Option(
      names = "--since",
      paramLabel = "DATE",
      description =
          "Partitions dated after this day count as new at once (default: none there now).")
  String since;

  @Option(
      names = "--workflow-type",
      paramLabel = "TYPE",
      description =
          "The pipeline new data starts (default ContinuousTraining); its run's id is"
              + " <kebab-case type>-<model>.")
  String workflowType;

  @Override
  public Integer call() {
    DataWatchRequest request = request();
    // The workflow checks too (for watches started from the UI); here nothing is started.
    List<String> problems =
        new ArrayList<>(PipelineRuns.typeProblems("--workflow-type", workflowType));
    request.problems().stream().map(WatchStart::named).forEach(problems::add);
    Integer refused = Exit.refuse(problems, err());
    if (refused != null) {
      return refused;
    }
    return withClient(
        client -> {
          Watches.StartResult result = Watches.start(client, connection.objectStore(), request);
          WatchOutput.start(
              result,
              request,
              connection.endpoints().uiAddress(),
              client.getOptions().getNamespace(),
              out());
          return result instanceof Watches.Started ? 0 : Exit.FAILED;
        });
  }

  /** The request these options ask for, not yet validated. */
  DataWatchRequest request() {
    DataWatchPolicy policy =
        pollInterval == null && minNewPartitions == null && minInterval == null
            ? null
            : new DataWatchPolicy(pollInterval, minNewPartitions, minInterval);
    return new DataWatchRequest(model, bucket, prefix, since, policy, null, workflowType, null);
  }

  /** A problem under the option that set the field: {@code policy.minInterval: ...} → option. */
  static String named(String problem) {
    int colon = problem.indexOf(':');
    String field = colon < 0 ? problem : problem.substring(0, colon);
    String option = OPTIONS.get(field);
    return option == null ? problem : option + problem.substring(colon);
  }
}
