package dev.perennial.starter.cli.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.starter.cli.Exit;
import dev.perennial.starter.ops.Monitors;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftPolicy;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code perennial monitor start}: starts the model's drift monitor with the policy of the options
 * and {@code --policy-file}; problems are named by the option (or file) that set them.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Start the model's drift monitor. It measures every --interval until stopped, and starts"
          + " ContinuousTraining (trigger DRIFT) on a breach, at most one at a time per model.",
      "Policy values not given here or in --policy-file take their defaults.",
      "Exit 1 when a monitor for the model is already running."
    })
final class MonitorStart extends MonitorSubcommand {
  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description = "How often to measure: 90s, 15m, 1h, PT1H (default 1h).")
  String interval;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      description = "How much recent traffic each measurement covers (default: the interval).")
  String window;

  @Option(
      names = "--min-rows",
      paramLabel = "N",
      description = "Served rows a window needs before it is judged (default 500).")
  Integer minRows;

  @Option(
      names = "--psi",
      paramLabel = "X",
      description = "PSI at which a feature counts as drifted (default 0.2).")
  Double psi;

  @Option(
      names = "--p-value",
      paramLabel = "X",
      description = "Test p-value below which a difference counts as real (default 0.01).")
  Double pValue;

  @Option(
      names = "--drifted-share",
      paramLabel = "X",
      description = "Share of drifted features (0..1) that breaches (default 0.3).")
  Double driftedShare;

  @Option(
      names = "--critical",
      split = ",",
      paramLabel = "FEATURE",
      description = "Features whose drift alone breaches, comma-separated (default none).")
  List<String> critical;

  @Option(
      names = "--max-log-loss-increase",
      paramLabel = "X",
      description = "Allowed rise of online log loss over the champion's evaluation (default 0.1).")
  Double maxLogLossIncrease;

  @Option(
      names = "--cooldown",
      paramLabel = "DURATION",
      description = "After starting a retraining, no other start before this passed (default 24h).")
  String cooldown;

  @Option(
      names = "--workflow-type",
      paramLabel = "TYPE",
      description =
          "The pipeline a breach starts (default ContinuousTraining), e.g. a pipeline of your"
              + " own; its run's id is <kebab-case type>-<model>.")
  String workflowType;

  @Option(
      names = "--policy-file",
      paramLabel = "FILE",
      description =
          "A DriftPolicy as JSON, e.g. {\"interval\":\"15m\",\"features\":{\"age\":{\"psi\":0.1}}};"
              + " the options above override its fields.")
  Path policyFile;

  @Override
  public Integer call() {
    PrintWriter err = err();
    DriftMonitorRequest request;
    try {
      request = request();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 2;
    }
    // The workflow checks too (for monitors started from the UI); here nothing is started.
    List<String> problems =
        new ArrayList<>(PipelineRuns.typeProblems("--workflow-type", workflowType));
    request.problems().stream()
        .map(p -> p.startsWith("workflowType:") ? "--workflow-type" + p.substring(12) : named(p))
        .forEach(problems::add);
    Integer refused = Exit.refuse(problems, err);
    if (refused != null) {
      return refused;
    }
    return withClient(client -> start(client, request, connection.endpoints().uiAddress(), out()));
  }

  /** Starts the monitor and prints what happened; returns the exit code. */
  static int start(
      WorkflowClient client, DriftMonitorRequest request, String uiAddress, PrintWriter out) {
    Monitors.StartResult result = Monitors.start(client, request);
    MonitorOutput.start(result, request, uiAddress, client.getOptions().getNamespace(), out);
    return result instanceof Monitors.Started ? 0 : Exit.FAILED;
  }

  /**
   * The request these options ask for, not yet validated.
   *
   * @throws IllegalArgumentException when the policy file cannot be read as a DriftPolicy
   */
  DriftMonitorRequest request() {
    DriftPolicy fromFile = policyFile == null ? null : readPolicy(policyFile);
    return new DriftMonitorRequest(model, policy(fromFile), null, null, workflowType);
  }

  /** The file's policy with the options given here on top; null when neither says anything. */
  DriftPolicy policy(DriftPolicy file) {
    DriftPolicy f =
        file != null
            ? file
            : new DriftPolicy(
                null, null, null, null, null, null, null, null, null, null, null, null, null);
    DriftPolicy merged =
        new DriftPolicy(
            or(interval, f.interval()),
            or(window, f.window()),
            or(minRows, f.minRows()),
            or(psi, f.psi()),
            or(pValue, f.pValue()),
            f.features(),
            or(driftedShare, f.driftedShare()),
            or(critical, f.critical()),
            or(maxLogLossIncrease, f.maxLogLossIncrease()),
            f.minLabels(),
            f.standardErrors(),
            or(cooldown, f.cooldown()),
            f.keepReports());
    return file == null && merged.equals(f) ? null : merged;
  }

  /** A problem under the option that set the field, so people see what they typed. */
  String named(String problem) {
    for (Map.Entry<String, Object> option : options().entrySet()) {
      String field = fieldPath(option.getKey());
      if (option.getValue() != null && problem.startsWith(field)) {
        String rest = problem.substring(field.length());
        if (rest.startsWith(":") || rest.startsWith("[")) {
          return option.getKey() + rest;
        }
      }
    }
    if (policyFile != null && problem.startsWith("policy.")) {
      return problem + " (in " + policyFile + ")";
    }
    return problem;
  }

  private Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("--interval", interval);
    o.put("--window", window);
    o.put("--min-rows", minRows);
    o.put("--psi", psi);
    o.put("--p-value", pValue);
    o.put("--drifted-share", driftedShare);
    o.put("--critical", critical);
    o.put("--max-log-loss-increase", maxLogLossIncrease);
    o.put("--cooldown", cooldown);
    return o;
  }

  /** {@code --max-log-loss-increase} → {@code policy.maxLogLossIncrease}. */
  private static String fieldPath(String option) {
    StringBuilder b = new StringBuilder("policy.");
    boolean upper = false;
    for (char c : option.substring(2).toCharArray()) {
      if (c == '-') {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }

  private static <T> T or(T option, T file) {
    return option != null ? option : file;
  }

  private static DriftPolicy readPolicy(Path file) {
    try {
      return new ObjectMapper().readValue(Files.readAllBytes(file), DriftPolicy.class);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--policy-file " + file + ": no such file");
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw new IllegalArgumentException(
          "--policy-file "
              + file
              + " is not a DriftPolicy: "
              + e.getOriginalMessage()
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new IllegalArgumentException("--policy-file " + file + ": cannot read: " + e);
    }
  }
}
