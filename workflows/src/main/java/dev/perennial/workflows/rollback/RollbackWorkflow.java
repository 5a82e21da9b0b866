package dev.perennial.workflows.rollback;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Makes an earlier approved version champion again and ends any canary (aborting a running canary
 * rollout first), audited. Model servers pick the change up on their next registry refresh
 * (seconds).
 */
@WorkflowInterface
public interface RollbackWorkflow {
  /** Stable workflow type name. */
  String TYPE = "Rollback";

  /** One rollback per model at a time. */
  static String workflowId(String model) {
    return "rollback-" + model;
  }

  @WorkflowMethod(name = TYPE)
  RollbackResult run(RollbackRequest request);
}
