package dev.perennial.testkit;

import static dev.perennial.workflows.registry.Aliases.CHAMPION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.pipeline.ContinuousTrainingWorkflowImpl;
import dev.perennial.workflows.watch.DataWatchPhase;
import dev.perennial.workflows.watch.DataWatchPolicy;
import dev.perennial.workflows.watch.DataWatchRequest;
import dev.perennial.workflows.watch.DataWatchResult;
import dev.perennial.workflows.watch.DataWatchWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The data watch and the real pipeline through the kit, as a user's test would drive them: new days
 * land, the watch retrains, the version it registers says DATA.
 */
@Timeout(60) // A safety net against a run that never ends, not a speed check.
class DataWatchThroughTheKitTest {
  static final String MODEL = "credit-default";

  @RegisterExtension
  static PerennialTestEnvironment env =
      PerennialTestEnvironment.withWorkflows(ContinuousTrainingWorkflowImpl.class);

  @Test
  void twoNewDaysRetrainOnceAndTheVersionSaysWhy() throws Exception {
    env.partitions().land(MODEL, "2026-03-01", "2026-03-02");
    DataWatchWorkflow watch =
        env.client()
            .newWorkflowStub(
                DataWatchWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(DataWatchWorkflow.workflowId(MODEL))
                    .setTaskQueue(dev.perennial.workflows.TaskQueues.PIPELINES)
                    .build());
    WorkflowClient.start(
        watch::run,
        new DataWatchRequest(
            MODEL, null, null, null, new DataWatchPolicy("1h", 2, null), null, null, null));
    // The days there at the first check are the baseline: land the next only after it.
    until(() -> watch.status().state().checks() == 1);

    env.partitions().land(MODEL, "2026-03-03");
    env.sleep(Duration.ofMinutes(90));
    assertThat(watch.status().state().lastAction())
        .isEqualTo("waiting for 1 more new partitions (1 of 2)");
    assertThat(env.registry().versions(MODEL)).isEmpty();

    env.partitions().land(MODEL, "2026-03-04");
    env.sleep(Duration.ofHours(1));
    env.sleep(Duration.ofHours(1)); // the retraining runs, the next check finds nothing new

    assertThat(env.registry().versions(MODEL)).hasSize(1);
    assertThat(env.registry().alias(MODEL, CHAMPION).trigger()).isEqualTo(Trigger.DATA);
    assertThat(env.datasets().specs().get(0).prefix()).isEqualTo(MODEL + "/");
    assertThat(watch.status().state().lastActedOn()).isEqualTo("2026-03-04");
    assertThat(watch.status().state().retrainings()).isEqualTo(1);

    watch.stop("done");
    // Held clock until the watch took the stop (temporalio/sdk-java#2606), then its result.
    until(() -> watch.status().phase() == DataWatchPhase.STOPPED);
    assertThat(WorkflowStub.fromTyped(watch).getResult(DataWatchResult.class).reason())
        .isEqualTo("done");
  }

  /** Waits in real time, the test clock held, until {@code reacted} holds; fails after 10 s. */
  private static void until(java.util.function.BooleanSupplier reacted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!reacted.getAsBoolean()) {
      assertThat(System.nanoTime()).as("the watch's reaction within 10 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
