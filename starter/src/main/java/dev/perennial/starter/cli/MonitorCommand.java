package dev.perennial.starter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.starter.ops.Causes;
import dev.perennial.starter.ops.PipelineRuns;
import dev.perennial.starter.ops.RunProgress;
import dev.perennial.workflows.Instruction;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftMonitorResult;
import dev.perennial.workflows.drift.DriftMonitorState;
import dev.perennial.workflows.drift.DriftMonitorStatus;
import dev.perennial.workflows.drift.DriftMonitorWorkflow;
import dev.perennial.workflows.drift.DriftPolicy;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflow;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.SearchAttributes;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code perennial monitor}: a model's DriftMonitor workflow (workflow id {@code
 * drift-monitor-<model>}): start it with a policy, look at it, make it measure now, stop it.
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "Watch a model's served traffic for drift: one long-running DriftMonitor workflow per model"
          + " (workflow id drift-monitor-<model>) measures every interval and starts retraining on"
          + " a breach.",
      "The latest reports: perennial drift --model <model>."
    },
    subcommands = {
      MonitorCommand.Start.class,
      MonitorCommand.Stop.class,
      MonitorCommand.Status.class,
      MonitorCommand.CheckNow.class
    })
final class MonitorCommand implements Runnable {
  /** How long {@code stop} waits for the monitor to close after the signal. */
  static final Duration STOP_WAIT = Duration.ofSeconds(30);

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A model's latest monitor run as the server knows it.
   *
   * @param workflowId its workflow id
   * @param runId its run id
   * @param execution open or how it closed
   * @param status its {@code status} query's answer; null when it did not answer or was not asked
   * @param result its result when it completed (stopped), else null
   * @param unanswered why the status query failed, null when it answered or was not asked
   */
  record Monitor(
      String workflowId,
      String runId,
      WorkflowExecutionStatus execution,
      DriftMonitorStatus status,
      DriftMonitorResult result,
      String unanswered) {

    boolean running() {
      return execution == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    /** RUNNING, COMPLETED, TERMINATED, ... */
    String state() {
      return execution.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    }

    /** What it measured and started: from the query, else from its result; null if neither. */
    DriftMonitorState drift() {
      if (status != null) {
        return status.state();
      }
      return result == null ? null : result.state();
    }
  }

  /**
   * The model's latest monitor, empty when none ever ran. A running one is asked its {@code status}
   * query; a stopped (completed) one gives its result, which holds the same state and needs no
   * worker; one that closed otherwise (terminated, failed) is queried, which a worker answers by
   * replaying its history.
   */
  static Optional<Monitor> find(WorkflowClient client, String model) {
    String id = DriftMonitorWorkflow.workflowId(model);
    DriftMonitorWorkflow typed = client.newWorkflowStub(DriftMonitorWorkflow.class, id);
    WorkflowStub untyped = WorkflowStub.fromTyped(typed);
    var description = describe(untyped);
    if (description.isEmpty()) {
      return Optional.empty();
    }
    WorkflowExecutionStatus execution = description.get().getStatus();
    String runId = description.get().getExecution().getRunId();
    if (execution == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return Optional.of(
          new Monitor(
              id, runId, execution, null, untyped.getResult(DriftMonitorResult.class), null));
    }
    try {
      return Optional.of(new Monitor(id, runId, execution, typed.status(), null, null));
    } catch (WorkflowException e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      return Optional.of(new Monitor(id, runId, execution, null, null, why));
    }
  }

  private static Optional<io.temporal.client.WorkflowExecutionDescription> describe(
      WorkflowStub stub) {
    try {
      return Optional.of(stub.describe());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Whether the model's monitor runs; when not, prints why not and how to start one. */
  private static boolean isRunning(WorkflowClient client, String model, PrintWriter out) {
    String id = DriftMonitorWorkflow.workflowId(model);
    var description = describe(client.newUntypedWorkflowStub(id));
    if (description.isEmpty()) {
      out.println(noMonitor(model));
    } else if (description.get().getStatus()
        != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      out.println(
          notRunning(
              model,
              new Monitor(
                  id,
                  description.get().getExecution().getRunId(),
                  description.get().getStatus(),
                  null,
                  null,
                  null)));
    } else {
      return true;
    }
    out.flush();
    return false;
  }

  /** The line that says a query went unanswered and what usually causes it. */
  static String unansweredLine(Monitor m) {
    return String.format(
        "%s (%s) did not answer its status query: %s. Is a worker polling task queue %s?",
        m.workflowId(), m.state(), m.unanswered(), TaskQueues.PIPELINES);
  }

  static String noMonitor(String model) {
    return String.format(
        "No drift monitor has run for %s. Start one with: perennial monitor start --model %s",
        model, model);
  }

  static String notRunning(String model, Monitor m) {
    return String.format(
        "No drift monitor for %s is running (the last one, run %s, is %s). Start one with:"
            + " perennial monitor start --model %s",
        model, m.runId(), m.state(), model);
  }

  /** Refuses a malformed model name before anything is sent; the exit code or null when valid. */
  static Integer refuseBadModel(String model, PrintWriter err) {
    return PerennialCommand.refuse(new RequestProblems().name("model", model).list(), err);
  }

  /** Every subcommand works on one model's monitor. */
  abstract static class Sub implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin CliConnection connection;

    @Option(names = "--model", required = true, description = "Model name, e.g. credit-default.")
    String model;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    /** Checks the model name, then runs {@code work} with a client and closes the connection. */
    int withClient(java.util.function.ToIntFunction<WorkflowClient> work) {
      Integer refused = refuseBadModel(model, err());
      if (refused != null) {
        return refused;
      }
      try {
        return work.applyAsInt(connection.workflowClient());
      } finally {
        connection.close();
        out().flush();
      }
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Start the model's drift monitor. It measures every --interval until stopped, and starts"
            + " ContinuousTraining (trigger DRIFT) on a breach, at most one at a time per model.",
        "Policy values not given here or in --policy-file take their defaults.",
        "Exit 1 when a monitor for the model is already running."
      })
  static final class Start extends Sub {
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
        description =
            "Allowed rise of online log loss over the champion's evaluation (default 0.1).")
    Double maxLogLossIncrease;

    @Option(
        names = "--cooldown",
        paramLabel = "DURATION",
        description =
            "After starting a retraining, no other start before this passed (default 24h).")
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
      Integer refused = PerennialCommand.refuse(problems, err);
      if (refused != null) {
        return refused;
      }
      return withClient(
          client -> start(client, request, connection.endpoints().uiAddress(), out()));
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

  /** Starts the monitor; returns the exit code. */
  static int start(
      WorkflowClient client, DriftMonitorRequest request, String uiAddress, PrintWriter out) {
    String model = request.model();
    String id = DriftMonitorWorkflow.workflowId(model);
    DriftMonitorWorkflow monitor =
        client.newWorkflowStub(
            DriftMonitorWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.PIPELINES)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .setTypedSearchAttributes(
                    SearchAttributes.newBuilder()
                        .set(PerennialSearchAttributes.MODEL, model)
                        .build())
                .build());
    String runId;
    try {
      runId = WorkflowClient.start(monitor::run, request).getRunId();
    } catch (WorkflowExecutionAlreadyStarted e) {
      out.printf(
          "A monitor for %s is already running (run %s); stop it first with: perennial monitor"
              + " stop --model %s%n",
          model, e.getExecution().getRunId(), model);
      out.flush();
      return PerennialCommand.FAILED;
    } catch (WorkflowServiceException e) {
      StatusRuntimeException grpc = Causes.find(e, StatusRuntimeException.class);
      String attribute = PerennialSearchAttributes.MODEL.getName();
      if (grpc != null
          && grpc.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT
          && String.valueOf(grpc.getStatus().getDescription()).contains(attribute)) {
        out.printf(
            "This Temporal namespace does not know the search attribute %s. The worker registers"
                + " it when it starts; or run: temporal operator search-attribute create --name %s"
                + " --type Keyword%n",
            attribute, attribute);
        out.flush();
        return PerennialCommand.FAILED;
      }
      throw e;
    }
    DriftPolicy policy =
        request.policy() == null ? DriftPolicy.defaults() : request.policy().withDefaults();
    out.printf("Started %s (run %s)%n", id, runId);
    printPolicy(policy, out);
    if (!ContinuousTrainingWorkflow.TYPE.equals(request.pipelineType())) {
      out.printf(
          "  retrains:     %s (workflow id %s)%n",
          request.pipelineType(), PipelineRuns.workflowId(request.pipelineType(), model));
    }
    if (uiAddress != null) {
      out.printf(
          "  Web UI:       %s/namespaces/%s/workflows/%s%n",
          uiAddress, client.getOptions().getNamespace(), id);
    } else {
      out.printf(
          "  Web UI:       workflow id %s in namespace %s (or filter PerennialModel=\"%s\")%n",
          id, client.getOptions().getNamespace(), model);
    }
    out.printf("  reports:      perennial drift --model %s%n", model);
    out.printf("  state:        perennial monitor status --model %s%n", model);
    out.printf("  stop:         perennial monitor stop --model %s%n", model);
    out.flush();
    return 0;
  }

  /** The policy's essentials, a few lines under the monitor's name. */
  static void printPolicy(DriftPolicy p, PrintWriter out) {
    out.printf(
        "  measures:     every %s over the last %s of traffic, judged from %d rows%n",
        p.interval(), p.window(), p.minRows());
    out.printf(
        "  a feature:    drifted at PSI >= %s and test p < %s%s%n",
        num(p.psi()),
        num(p.pValue()),
        p.features().isEmpty()
            ? ""
            : " (own thresholds: "
                + String.join(", ", p.features().keySet().stream().sorted().toList())
                + ")");
    List<String> breach = new ArrayList<>();
    breach.add(percent(p.driftedShare()) + " of features drifted");
    if (!p.critical().isEmpty()) {
      breach.add("a critical feature drifted (" + String.join(", ", p.critical()) + ")");
    }
    breach.add(
        "online log loss above the champion's by > "
            + num(p.maxLogLossIncrease())
            + " and > "
            + num(p.standardErrors())
            + " standard errors, from "
            + p.minLabels()
            + " labels");
    out.printf("  breach:       %s%n", String.join("; or ", breach));
    out.printf("  cooldown:     %s between retraining starts%n", p.cooldown());
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = {
        "Stop the model's drift monitor and print what it did. Retraining runs it started go on.",
        "Exit 1 when no monitor for the model is running."
      })
  static final class Stop extends Sub {
    @Option(names = "--reason", description = "Why, kept in the monitor's result.")
    String reason;

    @Override
    public Integer call() {
      String why =
          reason != null && !reason.isBlank()
              ? reason
              : "stopped from the command line by " + System.getProperty("user.name");
      return withClient(client -> stop(client, model, why, STOP_WAIT, out()));
    }
  }

  /** Signals {@code stop}, waits up to {@code wait} for the run to close, prints its summary. */
  static int stop(
      WorkflowClient client, String model, String reason, Duration wait, PrintWriter out) {
    String id = DriftMonitorWorkflow.workflowId(model);
    DriftMonitorWorkflow typed = client.newWorkflowStub(DriftMonitorWorkflow.class, id);
    WorkflowStub untyped = WorkflowStub.fromTyped(typed);
    if (!isRunning(client, model, out)) {
      return PerennialCommand.FAILED;
    }
    typed.stop(reason);
    DriftMonitorResult result;
    try {
      result = untyped.getResult(wait.toMillis(), TimeUnit.MILLISECONDS, DriftMonitorResult.class);
    } catch (TimeoutException e) {
      out.printf(
          "Asked %s to stop, but it has not closed within %ds. It stops when a worker polling task"
              + " queue %s takes the signal; check with: perennial monitor status --model %s%n",
          id, wait.toSeconds(), TaskQueues.PIPELINES, model);
      out.flush();
      return PerennialCommand.FAILED;
    }
    out.printf("Stopped %s: %s%n", id, result.reason());
    printCounts(result.state(), out);
    out.flush();
    return 0;
  }

  static void printCounts(DriftMonitorState s, PrintWriter out) {
    List<DriftCheck> recent = s.recent() == null ? List.of() : s.recent();
    DriftCheck latest = recent.isEmpty() ? null : recent.get(recent.size() - 1);
    out.printf(
        "  checks:       %d%s%n",
        s.checks(), latest == null ? "" : ", latest " + latest.verdict() + " at " + latest.at());
    if (s.retrainings() == 0) {
      out.println("  retrainings:  none started");
    } else {
      out.printf(
          "  retrainings:  %d started, latest %s at %s%n",
          s.retrainings(), s.lastRetrainingRun(), s.lastRetrainingAt());
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Show the model's drift monitor: policy, phase, next check, checks, retrainings.")
  static final class Status extends Sub {
    @Override
    public Integer call() {
      return withClient(client -> status(client, model, out()));
    }
  }

  /** One screen about the model's monitor; returns the exit code. */
  static int status(WorkflowClient client, String model, PrintWriter out) {
    Optional<Monitor> found = find(client, model);
    if (found.isEmpty()) {
      out.println(noMonitor(model));
      out.flush();
      return PerennialCommand.FAILED;
    }
    Monitor m = found.get();
    out.printf("Monitor %s (%s, run %s)%n", m.workflowId(), m.state(), m.runId());
    if (m.status() != null) {
      DriftMonitorStatus s = m.status();
      out.printf(
          "  phase:        %s%s%n", s.phase(), s.message() == null ? "" : " — " + s.message());
      printPolicy(s.policy(), out);
      if (m.running()) {
        out.printf("  next check:   %s%n", s.nextCheckAt());
      }
      printCounts(s.state(), out);
    } else if (m.result() != null) {
      out.printf("  phase:        STOPPED — %s%n", m.result().reason());
      printCounts(m.result().state(), out);
    } else {
      out.println("  " + unansweredLine(m));
      out.flush();
      return PerennialCommand.FAILED;
    }
    if (m.running()) {
      out.printf("Latest drift report: perennial drift --model %s%n", model);
    } else {
      out.printf("Start a new one with: perennial monitor start --model %s%n", model);
    }
    out.flush();
    return 0;
  }

  @Command(
      name = "check-now",
      mixinStandardHelpOptions = true,
      description = "Make the model's drift monitor measure now instead of at its next interval.")
  static final class CheckNow extends Sub {
    @Override
    public Integer call() {
      return withClient(client -> checkNow(client, model, out()));
    }
  }

  /** Signals {@code check-now} to a running monitor; returns the exit code. */
  static int checkNow(WorkflowClient client, String model, PrintWriter out) {
    String id = DriftMonitorWorkflow.workflowId(model);
    DriftMonitorWorkflow typed = client.newWorkflowStub(DriftMonitorWorkflow.class, id);
    if (!isRunning(client, model, out)) {
      return PerennialCommand.FAILED;
    }
    try {
      typed.check(new Instruction(PerennialCommand.user(), "asked from the command line"));
    } catch (WorkflowUpdateException e) {
      // The monitor's validator refused it (e.g. a check already asked for): say why.
      out.println("error: " + RunProgress.rootMessage(e));
      out.flush();
      return PerennialCommand.FAILED;
    }
    out.printf(
        "Asked %s to measure now. See the result with: perennial drift --model %s%n", id, model);
    out.flush();
    return 0;
  }

  /** 0.2 → "0.2", 2.0 → "2": thresholds as people wrote them. */
  static String num(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** 0.3 → "30%". */
  static String percent(double share) {
    return BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }
}
