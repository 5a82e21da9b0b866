package dev.perennial.workflows.rollback;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.TrafficChange;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;

/** Rollback: champion alias to the requested version, canary traffic ended, both audited. */
public class RollbackWorkflowImpl implements RollbackWorkflow {
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
    return new RollbackResult(model, previous, request.version(), message);
  }
}
