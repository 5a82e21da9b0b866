package dev.perennial.activities.training;

import dev.perennial.core.Json;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.store.S3Settings;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingData;
import dev.perennial.core.training.TrainingService;
import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.training.TrainingJob;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker JVM of its own (started with a small heap by {@link TrainingOutOfMemoryTest}) whose one
 * trainer allocates until the heap runs out. A workflow runs TrainModel with the training options
 * capped at three attempts, and this prints what it ended with and how many fits were started.
 *
 * <p>Arguments: S3 endpoint, access key, secret key, artifact bucket, snapshot as JSON.
 */
public final class OutOfMemoryRun {
  static final String TRAINER = "heap-hog";
  private static final AtomicInteger FITS = new AtomicInteger();

  private OutOfMemoryRun() {}

  /** Holds ever more 4 MB blocks: a large request fails first, while small ones still fit. */
  public static final class HeapHog implements Trainer<HeapHog.None> {
    public record None() implements TrainerOptions {}

    @Override
    public String name() {
      return TRAINER;
    }

    @Override
    public None options(TrainerSettings settings) {
      return new None();
    }

    @Override
    public Encoding encoding() {
      return Encoding.ORDINAL;
    }

    @Override
    public ScoringModel fit(TrainingData data, None options, TrainingProgress progress) {
      FITS.incrementAndGet();
      List<long[]> held = new ArrayList<>();
      while (true) {
        held.add(new long[1 << 19]);
      }
    }
  }

  @WorkflowInterface
  public interface TrainOnce {
    @WorkflowMethod
    String train(TrainingJob job);
  }

  public static final class TrainOnceImpl implements TrainOnce {
    @Override
    public String train(TrainingJob job) {
      ActivityOptions options =
          ActivityOptions.newBuilder(ActivityStubs.TRAINING)
              .setRetryOptions(
                  RetryOptions.newBuilder(ActivityStubs.TRAINING.getRetryOptions())
                      .setMaximumAttempts(3)
                      .build())
              .build();
      Workflow.newActivityStub(TrainingActivities.class, options).train(job);
      return "trained";
    }
  }

  public static void main(String[] args) {
    ObjectStore store =
        ObjectStores.open(new S3Settings(args[0], args[1], args[2], "us-east-1"), false);
    DatasetSnapshot snapshot =
        Json.read(args[4].getBytes(StandardCharsets.UTF_8), DatasetSnapshot.class);
    TrainingService service =
        new TrainingService(
            store,
            args[3],
            new SnapshotReader(store),
            Trainers.of(List.of(new HeapHog()), OutOfMemoryRun.class.getClassLoader()));
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    try {
      Worker training = env.newWorker(TaskQueues.TRAINING);
      training.registerActivitiesImplementations(new TrainingActivitiesImpl(service));
      Worker pipelines = env.newWorker("out-of-memory-run");
      pipelines.registerWorkflowImplementationTypes(TrainOnceImpl.class);
      env.start();
      TrainOnce run =
          env.getWorkflowClient()
              .newWorkflowStub(
                  TrainOnce.class,
                  WorkflowOptions.newBuilder().setTaskQueue("out-of-memory-run").build());
      TrainingJob job = new TrainingJob("m", snapshot, 1, Hyperparameters.of(TRAINER), "oom");
      try {
        System.out.println("result=" + run.train(job));
      } catch (WorkflowFailedException e) {
        ActivityFailure activity = (ActivityFailure) e.getCause();
        ApplicationFailure failure = (ApplicationFailure) activity.getCause();
        System.out.println("retryState=" + activity.getRetryState());
        System.out.println("type=" + failure.getType());
        System.out.println("nonRetryable=" + failure.isNonRetryable());
        System.out.println("message=" + failure.getOriginalMessage());
      }
      System.out.println("fits=" + FITS.get());
    } finally {
      env.close();
    }
  }
}
