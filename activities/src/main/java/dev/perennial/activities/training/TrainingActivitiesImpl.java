package dev.perennial.activities.training;

import dev.perennial.activities.Refusals;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.TrainingCancelledException;
import dev.perennial.core.training.TrainingService;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.EvaluationJob;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.training.TrainingJob;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Training activities: thin adapter over {@link TrainingService}. A ticker heartbeats the latest
 * progress every second (Smile's fit gives no control back during a long tree or a logistic
 * regression), and turns a cancellation into a stop request for the learner.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private final TrainingService service;

  public TrainingActivitiesImpl(TrainingService service) {
    this.service = service;
  }

  @Override
  public TrainedModel train(TrainingJob job) {
    return withHeartbeats(p -> service.train(job, p)).trainedBy(workerIdentity());
  }

  @Override
  public Evaluation evaluate(EvaluationJob job) {
    return withHeartbeats(p -> service.evaluate(job, p));
  }

  /**
   * This worker's identity as the server knows it ({@code pid@host} unless configured), so a
   * search's trials say where they ran; null where the context has no client (a unit test's).
   */
  private static String workerIdentity() {
    try {
      return Activity.getExecutionContext().getWorkflowClient().getOptions().getIdentity();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static <T> T withHeartbeats(Function<TrainingProgress, T> work) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    Heartbeats progress = new Heartbeats(context);
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "perennial-heartbeat");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(progress::beat, 0, 1, TimeUnit.SECONDS);
    try {
      T result = Refusals.asFailures(() -> work.apply(progress));
      if (progress.stopped != null) {
        // Cancelled while a step that cannot stop early ran to its end: report the cancellation.
        throw progress.stopped;
      }
      return result;
    } catch (TrainingCancelledException e) {
      throw progress.stopped != null ? progress.stopped : e;
    } finally {
      ticker.shutdownNow();
    }
  }

  /** Latest progress, sent as heartbeat details; remembers a cancellation. */
  private static final class Heartbeats implements TrainingProgress {
    private final ActivityExecutionContext context;
    private volatile String latest = "starting";
    private volatile ActivityCompletionException stopped;

    Heartbeats(ActivityExecutionContext context) {
      this.context = context;
    }

    @Override
    public void update(String stage, double fraction) {
      latest = String.format(Locale.ROOT, "%s %.0f%%", stage, fraction * 100);
    }

    @Override
    public boolean cancelled() {
      return stopped != null;
    }

    void beat() {
      if (stopped != null) {
        return;
      }
      try {
        context.heartbeat(latest);
      } catch (ActivityCompletionException e) {
        stopped = e;
      } catch (RuntimeException e) {
        // A failed heartbeat is retried on the next tick; the server's timeout is the judge.
      }
    }
  }
}
