package dev.perennial.workflows.scoring;

import dev.perennial.workflows.ObjectRef;

/**
 * Result of a batch scoring.
 *
 * @param model model name
 * @param version the version that scored
 * @param manifest the manifest, written last: row counts per chunk and in all, SHA-256 of every
 *     output and input object, the model version and its bundle's SHA-256
 * @param outputPrefix where the predictions are
 * @param chunks chunks in the plan
 * @param reusedChunks chunks whose output was there already (not scored again)
 * @param rows rows scored
 */
public record BatchScoringResult(
    String model,
    int version,
    ObjectRef manifest,
    String outputPrefix,
    int chunks,
    int reusedChunks,
    long rows) {

  /** One line for people. */
  public String message() {
    return "scored "
        + rows
        + " rows with "
        + model
        + " v"
        + version
        + " in "
        + chunks
        + " chunk"
        + (chunks == 1 ? "" : "s")
        + (reusedChunks == 0 ? "" : " (" + reusedChunks + " already written, not scored again)")
        + "; manifest "
        + manifest.uri();
  }
}
