package dev.perennial.workflows.search;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.training.TrainingJob;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs a {@link HyperparameterSearch} in workflow code: plans the trials (deterministically: a
 * seeded random or {@link Workflow#newRandom()}), starts each as a {@code TrainModel} activity with
 * {@link Async}, at most {@code parallelism} at once, and picks the best by the search metric.
 *
 * <p>A completed trial's result is in the run's history: when a worker dies mid-search, the run
 * goes on elsewhere with the finished trials as they were, and only the trials in flight train
 * again (noticed by their heartbeat timeout). Each trial writes under its own run id ({@link
 * Trial#runId}), so a retried trial overwrites its own files only.
 */
public final class SearchRun {
  /** The failure type when no trial could be trained. */
  public static final String SEARCH_FAILED = "SearchFailed";

  private final TrainingActivities training;

  public SearchRun(TrainingActivities training) {
    this.training = training;
  }

  /**
   * Searches around {@code job}: each trial trains {@code job} with its own hyperparameters and run
   * id. {@code progress} hears every change of a trial's state.
   *
   * @throws ApplicationFailure non-retryable {@code InvalidRequest} naming every bad field of a bad
   *     search, before any trial starts; non-retryable {@value #SEARCH_FAILED} when no trial got a
   *     score, listing why each failed
   */
  public SearchResult run(
      TrainingJob job, HyperparameterSearch search, Consumer<SearchResult> progress) {
    new RequestProblems()
        .addAll(search.problems("search", job.hyperparameters()))
        .throwIfAny("hyperparameter search");
    Random random = search.seed() != null ? new Random(search.seed()) : Workflow.newRandom();
    List<Hyperparameters> plan = search.plan(job.hyperparameters(), random);
    List<Trial> trials = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      trials.add(Trial.pending(i + 1, plan.get(i)));
    }
    String metric = search.metricOrDefault();
    int parallelism = search.parallelismOrDefault();
    List<Promise<TrainedModel>> promises = new ArrayList<>();
    // Trial indexes in increasing order, so completions are taken in a fixed order on every replay.
    List<Integer> running = new ArrayList<>();
    while (promises.size() < plan.size() || !running.isEmpty()) {
      while (promises.size() < plan.size() && running.size() < parallelism) {
        int i = promises.size();
        Trial t = trials.get(i);
        TrainingJob trialJob =
            new TrainingJob(
                job.model(),
                job.snapshot(),
                job.holdoutDays(),
                t.hyperparameters(),
                Trial.runId(job.runId(), t.number()));
        promises.add(Async.function(training::train, trialJob));
        running.add(i);
        trials.set(i, t.running());
      }
      progress.accept(SearchResult.of(search, trials));
      Workflow.await(() -> running.stream().anyMatch(i -> promises.get(i).isCompleted()));
      for (int i : List.copyOf(running)) {
        Promise<TrainedModel> p = promises.get(i);
        if (!p.isCompleted()) {
          continue;
        }
        running.remove(Integer.valueOf(i));
        Trial t = trials.get(i);
        try {
          trials.set(i, t.succeeded(p.get(), metric));
        } catch (ActivityFailure failure) {
          if (failure.getCause() instanceof CanceledFailure) {
            throw failure;
          }
          trials.set(i, t.failed(message(failure)));
        }
      }
    }
    SearchResult result = SearchResult.of(search, trials);
    progress.accept(result);
    if (result.best() == null) {
      List<String> why = new ArrayList<>();
      for (Trial t : trials) {
        why.add(
            "trial "
                + t.number()
                + ": "
                + (t.failure() != null
                    ? t.failure()
                    : "no " + metric + " on its validation split"));
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "No trial of the hyperparameter search was scored by "
              + metric
              + " ("
              + trials.size()
              + (trials.size() == 1 ? " trial" : " trials")
              + "): "
              + String.join("; ", why),
          SEARCH_FAILED);
    }
    return result;
  }

  private static String message(ActivityFailure failure) {
    Throwable c = failure.getCause() == null ? failure : failure.getCause();
    return c instanceof TemporalFailure f ? f.getOriginalMessage() : c.getMessage();
  }
}
