package dev.perennial.workflows.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.Eventually;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.Histories;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.TestEnvironments;
import dev.perennial.workflows.WorkflowImplementations;
import dev.perennial.workflows.dataset.DatasetSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scoring workflow against fake activities. Three of its runs are replayed by {@link
 * BatchScoringReplayTest}; refresh them with {@code -Dperennial.recordHistories=true}.
 */
class BatchScoringWorkflowTest {
  private static final int CHUNKS = 10;
  private static final long ROWS_PER_CHUNK = 100;

  private TestWorkflowEnvironment env;
  private FakeScoring scoring;

  @BeforeEach
  void setUp() {
    env = TestEnvironments.withSearchAttributes();
    env.newWorker(TaskQueues.PIPELINES)
        .registerWorkflowImplementationTypes(
            WorkflowImplementations.OPTIONS, BatchScoringWorkflowImpl.class);
    scoring = new FakeScoring();
    env.newWorker(TaskQueues.TRAINING).registerActivitiesImplementations(scoring);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private BatchScoringWorkflow stub() {
    return env.getWorkflowClient()
        .newWorkflowStub(
            BatchScoringWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(BatchScoringWorkflow.workflowId("credit-default"))
                .setTaskQueue(TaskQueues.PIPELINES)
                .build());
  }

  private void recordHistoryIfAsked(String file) throws Exception {
    Histories.recordIfAsked(
        env.getWorkflowClient(), BatchScoringWorkflow.workflowId("credit-default"), null, file);
  }

  @Test
  void scoresEveryPlannedChunkOnceAndWritesTheManifestLast() throws Exception {
    BatchScoringWorkflow run = stub();
    BatchScoringResult result =
        run.run(BatchScoringRequest.of("credit-default").withDays("2026-01-01", "2026-01-10"));

    assertThat(result.version()).isEqualTo(3);
    assertThat(result.chunks()).isEqualTo(CHUNKS);
    assertThat(result.rows()).isEqualTo(CHUNKS * ROWS_PER_CHUNK);
    assertThat(result.reusedChunks()).isZero();
    assertThat(result.manifest().key()).isEqualTo("credit-default/predictions/v3/manifest.json");
    for (int i = 0; i < CHUNKS; i++) {
      assertThat(scoring.calls(i)).as("chunk %d", i).isEqualTo(1);
    }
    assertThat(scoring.manifestWrittenAfter).isEqualTo(CHUNKS);
    // The plan got the request with its defaults, the range as given.
    BatchScoringRequest planned = scoring.planned.get(0);
    assertThat(planned.dataset().from()).isEqualTo("2026-01-01");
    assertThat(planned.dataset().bucket()).isEqualTo(DatasetSpec.DEFAULT_BUCKET);
    assertThat(planned.parallelism()).isEqualTo(BatchScoringRequest.DEFAULT_PARALLELISM);

    BatchScoringProgress progress = run.progress();
    assertThat(progress.phase()).isEqualTo("DONE");
    assertThat(progress.chunksDone()).isEqualTo(CHUNKS);
    assertThat(progress.rowsDone()).isEqualTo(progress.rowsTotal());
    recordHistoryIfAsked("batch-scoring-scored.json");
  }

  @Test
  void keepsAtMostParallelismChunksInFlight() throws Exception {
    scoring.gate = new Semaphore(0);
    BatchScoringWorkflow run = stub();
    WorkflowClient.start(run::run, BatchScoringRequest.of("credit-default").withParallelism(3));
    for (int i = 0; i < CHUNKS; i++) {
      int expected = Math.min(3, CHUNKS - i);
      Eventually.until(
          expected + " chunks in flight",
          Duration.ofSeconds(30),
          () -> scoring.inFlight.get() == expected);
      if (i == 0) {
        BatchScoringProgress progress = run.progress();
        assertThat(progress.phase()).isEqualTo("SCORING");
        assertThat(progress.chunksTotal()).isEqualTo(CHUNKS);
        assertThat(progress.chunksDone()).isZero();
      }
      scoring.gate.release();
    }
    BatchScoringResult result =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(BatchScoringWorkflow.workflowId("credit-default"))
            .getResult(BatchScoringResult.class);
    assertThat(result.rows()).isEqualTo(CHUNKS * ROWS_PER_CHUNK);
    assertThat(scoring.maxInFlight.get()).isEqualTo(3);
  }

  @Test
  void aFailedChunkIsRetriedAloneAndTheChunksDoneAreNotScoredAgain() throws Exception {
    scoring.failOnce.add(4);
    BatchScoringResult result = stub().run(BatchScoringRequest.of("credit-default"));

    assertThat(result.rows()).isEqualTo(CHUNKS * ROWS_PER_CHUNK);
    assertThat(scoring.calls(4)).isEqualTo(2);
    for (int i = 0; i < CHUNKS; i++) {
      if (i != 4) {
        assertThat(scoring.calls(i)).as("chunk %d", i).isEqualTo(1);
      }
    }
    recordHistoryIfAsked("batch-scoring-chunk-retried.json");
  }

  @Test
  void reusedChunksAreCountedInTheResult() {
    scoring.reused.addAll(List.of(0, 1, 2));
    BatchScoringResult result = stub().run(BatchScoringRequest.of("credit-default"));
    assertThat(result.reusedChunks()).isEqualTo(3);
    assertThat(result.message()).contains("3 already written, not scored again");
  }

  @Test
  void aChunkThatCannotBeScoredFailsTheRunWithItsReasonAndNoManifest() throws Exception {
    scoring.refuse = 6;
    assertThatThrownBy(() -> stub().run(BatchScoringRequest.of("credit-default")))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            e ->
                assertThat(FailureTypes.innermostMessage(e))
                    .contains("line 7: 'abc' in column 'age' is not a finite number"));
    assertThat(scoring.manifestWrittenAfter).isEqualTo(-1);
    recordHistoryIfAsked("batch-scoring-chunk-refused.json");
  }

  @Test
  void anInvalidRequestFailsAtOnceNamingEveryField() {
    BatchScoringRequest bad =
        BatchScoringRequest.of("Credit Default").withChunkRows(10).withParallelism(0);
    assertThatThrownBy(() -> stub().run(bad))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            e ->
                assertThat(FailureTypes.innermostMessage(e))
                    .contains("model:", "chunkRows:", "parallelism:"));
    assertThat(scoring.planned).isEmpty();
  }

  /** Plans ten chunks of 100 rows and counts what is asked of it. */
  static final class FakeScoring implements ScoringActivities {
    final List<BatchScoringRequest> planned = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentHashMap<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<Integer> failOnce = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> reused = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Semaphore gate;
    volatile int refuse = -1;
    volatile int manifestWrittenAfter = -1;

    int calls(int chunk) {
      AtomicInteger n = calls.get(chunk);
      return n == null ? 0 : n.get();
    }

    @Override
    public ScoringPlan plan(BatchScoringRequest request) {
      planned.add(request);
      return new ScoringPlan(
          request.model(),
          3,
          "ab".repeat(32),
          new ObjectRef("perennial-data", "credit-default/predictions/v3/_plans/p.json", "cd", 10),
          "s3://perennial-data/credit-default/predictions/v3/",
          CHUNKS,
          CHUNKS,
          CHUNKS * ROWS_PER_CHUNK);
    }

    @Override
    public ChunkResult scoreChunk(ScoringChunk chunk) {
      calls.computeIfAbsent(chunk.index(), i -> new AtomicInteger()).incrementAndGet();
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        if (gate != null && !gate.tryAcquire(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never let chunk " + chunk.index() + " finish");
        }
        if (chunk.index() == refuse) {
          throw ApplicationFailure.newNonRetryableFailure(
              "s3://perennial-data/x.csv line 7: 'abc' in column 'age' is not a finite number",
              FailureTypes.INVALID_DATASET);
        }
        if (failOnce.remove((Integer) chunk.index())) {
          throw new IllegalStateException("worker lost its connection to S3");
        }
        done.incrementAndGet();
        return new ChunkResult(
            chunk.index(),
            new ObjectRef("perennial-data", "out-" + chunk.index(), "ef", 1),
            ROWS_PER_CHUNK,
            reused.contains(chunk.index()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public ObjectRef writeManifest(ScoringPlan plan) {
      manifestWrittenAfter = done.get();
      return new ObjectRef(
          "perennial-data", "credit-default/predictions/v3/manifest.json", "12", 100);
    }
  }
}
