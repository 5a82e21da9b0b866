package dev.perennial.starter.cli;

import dev.perennial.starter.ops.Approvals;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.approval.Approvable;
import dev.perennial.workflows.approval.ApprovalRequest;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code perennial approve}: say yes to the version a model's pipeline run waits to promote (its
 * interface extends {@link Approvable}). {@link RejectCommand} says no.
 */
@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = {
      "Approve the version a model's pipeline run waits to promote (stage AWAITING_APPROVAL):"
          + " it becomes champion, with --by and --note in the registry's audit log.",
      "The run is found by PerennialModel and PerennialStage; name it with --workflow-id where"
          + " the server cannot search (the Java test server). Exit 1 when none waits or the run"
          + " refuses (it says why)."
    })
class ApproveCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Option(names = "--by", required = true, description = "Who decides, e.g. alice.")
  String by;

  @Option(names = "--note", description = "Why, recorded with the decision.")
  String note;

  @Option(
      names = "--workflow-id",
      paramLabel = "ID",
      description = "The waiting run's workflow id (default: found by search).")
  String workflowId;

  /** The update this command sends. */
  String update() {
    return Approvable.APPROVE;
  }

  @Override
  public Integer call() {
    ApprovalRequest request = new ApprovalRequest(by, note);
    List<String> problems = new ArrayList<>(new RequestProblems().name("model", model).list());
    request.problems().stream().map(p -> "--" + p).forEach(problems::add);
    Integer refused = Exit.refuse(problems, spec.commandLine().getErr());
    if (refused != null) {
      return refused;
    }
    try {
      return decide(
          connection.workflowClient(),
          update(),
          model,
          workflowId,
          request,
          spec.commandLine().getOut());
    } finally {
      connection.close();
    }
  }

  /**
   * Sends {@code update} ({@code approve} or {@code reject}) to the model's waiting run, or to
   * {@code workflowId} when given; prints the decision, or why none was taken. Returns the exit
   * code.
   */
  static int decide(
      WorkflowClient client,
      String update,
      String model,
      String workflowId,
      ApprovalRequest request,
      PrintWriter out) {
    int code = Exit.FAILED;
    switch (Approvals.decide(client, update, model, workflowId, request)) {
      case Approvals.Unsearchable u ->
          out.printf(
              "This Temporal server cannot search runs by PerennialStage. Name the run: perennial"
                  + " %s --model %s --by %s --workflow-id <id> (perennial status --model %s"
                  + " --workflow-type <type> shows it)%n",
              update, model, request.by(), model);
      case Approvals.NoneWaiting n ->
          out.printf(
              "No run of %s waits for approval. Find its runs with: perennial status --model %s,"
                  + " or in the Temporal UI filter PerennialModel=\"%s\"%n",
              model, model, model);
      case Approvals.SeveralWaiting several -> {
        out.printf(
            "%d runs of %s wait for approval; name one with --workflow-id:%n",
            several.runs().size(), model);
        several.runs().forEach(r -> out.printf("  %s (%s)%n", r.workflowId(), r.workflowType()));
      }
      case Approvals.NoSuchRun n ->
          out.printf(
              "No run with workflow id %s. Find the model's runs with: perennial status --model"
                  + " %s%n",
              n.workflowId(), model);
      case Approvals.Refused r ->
          out.printf("%s refused the %s: %s%n", r.workflowId(), update, r.reason());
      case Approvals.Decided d -> {
        out.printf("%s: %s%n", d.workflowId(), d.decision().reason(null));
        out.printf(
            "Follow it with: %s%n",
            d.workflowType() == null
                ? "perennial status --model " + model
                : RunOutput.statusCommand(d.workflowType(), model));
        code = 0;
      }
    }
    out.flush();
    return code;
  }
}
