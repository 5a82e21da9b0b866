package dev.perennial.workflows.rollback;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.canary.CanaryRolloutWorkflow;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;

/**
 * Rollback: a running canary rollout stopped, canary traffic ended, champion alias to the requested
 * version, all audited.
 */
public class RollbackWorkflowImpl implements RollbackWorkflow {
  /**
   * Change id: runs from version 1 on first abort the model's running canary rollout, which would
   * otherwise shift traffic back to its version at its next step. Earlier runs replay without it.
   */
  static final String STOPS_CANARY = "rollback-stops-canary";

  /** The failure type of a signal to a workflow that is not running. */
  private static final String NOT_FOUND =
      SignalExternalWorkflowExecutionFailedCause
          .SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND
          .name();

  private final RegistryActivities registry =
      Workflow.newActivityStub(RegistryActivities.class, ActivityStubs.REGISTRY);

  @Override
  public RollbackResult run(RollbackRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid Rollback request: send {\"model\":\"credit-default\",\"version\":1,"
              + "\"reason\":\"...\"}",
          FailureTypes.INVALID_REQUEST);
    }
    new RequestProblems().addAll(request.problems()).throwIfAny("Rollback request");
    String model = request.model();
    Workflow.upsertTypedSearchAttributes(PerennialSearchAttributes.MODEL.valueSet(model));
    String actor =
        request.actor() == null || request.actor().isBlank() ? "unknown" : request.actor();
    String reason = "rollback to v" + request.version() + ": " + request.reason();

    boolean canaryStopped =
        Workflow.getVersion(STOPS_CANARY, Workflow.DEFAULT_VERSION, 1) >= 1
            && stopCanary(model, reason);
    ModelVersion before = registry.findAlias(model, Aliases.CHAMPION);
    // The canary goes first: a split naming the version we return to would be pointless.
    registry.setTrafficSplit(TrafficChange.championOnly(model, reason, actor));
    registry.setAlias(new AliasChange(model, Aliases.CHAMPION, request.version(), reason, actor));
    Integer previous = before == null ? null : before.version();
    String message =
        previous != null && previous.equals(request.version())
            ? "v" + request.version() + " was already champion; canary traffic ended"
            : "v"
                + request.version()
                + " is champion again (was "
                + (previous == null ? "none" : "v" + previous)
                + ")";
    if (canaryStopped) {
      message += "; the running canary rollout was aborted";
    }
    return new RollbackResult(model, previous, request.version(), message);
  }

  /** Signals the model's canary rollout to abort; false when none is running. */
  private static boolean stopCanary(String model, String reason) {
    try {
      Workflow.newExternalWorkflowStub(
              CanaryRolloutWorkflow.class, CanaryRolloutWorkflow.workflowId(model))
          .abort(reason);
      return true;
    } catch (ApplicationFailure e) {
      if (NOT_FOUND.equals(e.getType())) {
        return false; // none running (never started, or already ended)
      }
      throw e;
    }
  }
}
