package dev.perennial.starter.ops;

import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.TaskQueues;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Temporal's test server in-process for each test, with Perennial's model search attribute and a
 * worker of {@link CannedDriftMonitor} on the pipeline task queue; register it with
 * {@code @RegisterExtension}.
 */
public final class CannedMonitorServer implements BeforeEachCallback, AfterEachCallback {
  private TestWorkflowEnvironment env;

  @Override
  public void beforeEach(ExtensionContext context) {
    env = TestWorkflowEnvironment.newInstance();
    env.registerSearchAttribute(
        PerennialSearchAttributes.MODEL.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.newWorker(TaskQueues.PIPELINES)
        .registerWorkflowImplementationTypes(CannedDriftMonitor.class);
    env.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    env.close();
  }

  public WorkflowClient client() {
    return env.getWorkflowClient();
  }

  /** The run id of the latest monitor of {@link CannedDriftMonitor#MODEL}. */
  public String runId() {
    return client()
        .newUntypedWorkflowStub(CannedDriftMonitor.ID)
        .describe()
        .getExecution()
        .getRunId();
  }
}
