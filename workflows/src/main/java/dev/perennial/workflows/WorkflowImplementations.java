package dev.perennial.workflows;

import io.temporal.common.converter.DataConverterException;
import io.temporal.worker.WorkflowImplementationOptions;

/** How Perennial's workflow implementations are registered on a worker. */
public final class WorkflowImplementations {

  /**
   * Input that cannot be read as the workflow's request record (a wrong type or an unknown enum
   * value typed into the UI's Start Workflow form) fails the run at once, with Jackson's message
   * naming the field and the accepted values. By default it would fail the workflow task, which
   * Temporal retries forever: a run stuck at its first step.
   */
  public static final WorkflowImplementationOptions OPTIONS =
      WorkflowImplementationOptions.newBuilder()
          .setFailWorkflowExceptionTypes(DataConverterException.class)
          .build();

  private WorkflowImplementations() {}
}
