package dev.perennial.workflows;

import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;

/** Records run histories as replay fixtures. */
public final class Histories {
  private Histories() {}

  /**
   * Writes the history of one run (its latest when {@code runId} is null) into the test resources
   * when {@code -Dperennial.recordHistories=true} is set, to refresh the replay fixtures after a
   * deliberate, versioned workflow change.
   */
  public static void recordIfAsked(
      WorkflowClient client, String workflowId, String runId, String file) throws Exception {
    if (Boolean.getBoolean("perennial.recordHistories")) {
      Path out = Path.of("src/test/resources/histories", file);
      Files.createDirectories(out.getParent());
      Files.writeString(out, client.fetchHistory(workflowId, runId).toJson(true));
    }
  }
}
