package dev.perennial.workflows.scoring;

import dev.perennial.workflows.ActivityStubs;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.PerennialSearchAttributes;
import dev.perennial.workflows.RequestProblems;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/** Plan, then the chunks at most {@code parallelism} at once, then the manifest. */
public class BatchScoringWorkflowImpl implements BatchScoringWorkflow {
  private final ScoringActivities scoring =
      Workflow.newActivityStub(ScoringActivities.class, ActivityStubs.SCORING);

  private BatchScoringProgress progress = new BatchScoringProgress("PLANNING", null, 0, 0, 0, 0, 0);

  @Override
  public BatchScoringResult run(BatchScoringRequest request) {
    if (request == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid BatchScoring request: send {\"model\":\"credit-default\"} (optionally"
              + " \"dataset\":{\"from\":\"2026-01-01\",\"to\":\"2026-01-07\"}, \"version\":3)",
          FailureTypes.INVALID_REQUEST);
    }
    new RequestProblems().addAll(request.problems()).throwIfAny("BatchScoring request");
    BatchScoringRequest r = request.withDefaults();
    Workflow.upsertTypedSearchAttributes(
        PerennialSearchAttributes.MODEL.valueSet(r.model()),
        PerennialSearchAttributes.TRIGGER.valueSet(r.trigger().name()));

    ScoringPlan plan = scoring.plan(r);
    progress =
        new BatchScoringProgress("SCORING", plan.version(), 0, 0, plan.chunks(), 0, plan.rows());
    ChunkTally tally = scoreAll(plan, r.parallelism());
    progress = tally.progress("MANIFEST", plan);
    ObjectRef manifest = scoring.writeManifest(plan);
    progress = tally.progress("DONE", plan);
    return new BatchScoringResult(
        plan.model(),
        plan.version(),
        manifest,
        plan.outputPrefix(),
        plan.chunks(),
        tally.reused,
        tally.rows);
  }

  @Override
  public BatchScoringProgress progress() {
    return progress;
  }

  /**
   * Keeps {@code parallelism} chunks in flight, in plan order, until all are done. A chunk that
   * fails for good fails the run; chunks done by then stay written, and the next run reuses them.
   */
  private ChunkTally scoreAll(ScoringPlan plan, int parallelism) {
    ChunkTally tally = new ChunkTally();
    List<Promise<ChunkResult>> running = new ArrayList<>();
    int next = 0;
    while (next < plan.chunks() || !running.isEmpty()) {
      while (running.size() < parallelism && next < plan.chunks()) {
        running.add(Async.function(scoring::scoreChunk, new ScoringChunk(plan.plan(), next++)));
      }
      Promise.anyOf(running).get();
      for (var it = running.iterator(); it.hasNext(); ) {
        Promise<ChunkResult> p = it.next();
        if (p.isCompleted()) {
          it.remove();
          tally.add(p.get());
        }
      }
      progress = tally.progress("SCORING", plan);
    }
    return tally;
  }

  /** Chunks done so far. */
  private static final class ChunkTally {
    int done;
    int reused;
    long rows;

    void add(ChunkResult chunk) {
      done++;
      rows += chunk.rows();
      if (chunk.reused()) {
        reused++;
      }
    }

    BatchScoringProgress progress(String phase, ScoringPlan plan) {
      return new BatchScoringProgress(
          phase, plan.version(), done, reused, plan.chunks(), rows, plan.rows());
    }
  }
}
