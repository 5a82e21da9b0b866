package dev.perennial.workflows.scoring;

/**
 * The {@code progress} query's answer.
 *
 * @param phase {@code PLANNING}, {@code SCORING}, {@code MANIFEST} or {@code DONE}
 * @param version the version scoring, null while planning
 * @param chunksDone chunks finished (scored or reused)
 * @param chunksReused of those, chunks whose output was there already
 * @param chunksTotal chunks in the plan, 0 while planning
 * @param rowsDone rows in the finished chunks
 * @param rowsTotal rows in all inputs, 0 while planning
 */
public record BatchScoringProgress(
    String phase,
    Integer version,
    int chunksDone,
    int chunksReused,
    int chunksTotal,
    long rowsDone,
    long rowsTotal) {}
