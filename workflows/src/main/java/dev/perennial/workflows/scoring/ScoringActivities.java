package dev.perennial.workflows.scoring;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Batch scoring's building blocks, served on the heavy {@code perennial-training} task queue
 * (through {@link dev.perennial.workflows.ActivityStubs#SCORING}). Each is idempotent: the plan and
 * the manifest are named by their content, and a chunk whose output is already there for the same
 * input and model bytes is not scored again.
 */
@ActivityInterface
public interface ScoringActivities {

  /**
   * Resolves the version (the champion when none is named), lists the input objects, hashes them
   * and counts their rows, and writes the plan: which rows each chunk scores and where its output
   * goes. Heartbeats per object.
   */
  @ActivityMethod(name = "PlanBatchScoring")
  ScoringPlan plan(BatchScoringRequest request);

  /**
   * Scores one chunk of the plan and writes its output and its manifest entry; returns the entry
   * already written, scoring nothing, when the chunk's output exists for the same input and model
   * bytes. Heartbeats the row offset.
   */
  @ActivityMethod(name = "ScoreChunk")
  ChunkResult scoreChunk(ScoringChunk chunk);

  /**
   * Writes the scoring's manifest from the chunks' entries (each checked against its output object)
   * and returns its reference.
   */
  @ActivityMethod(name = "WriteScoringManifest")
  dev.perennial.workflows.ObjectRef writeManifest(ScoringPlan plan);
}
