package dev.perennial.workflows.scoring;

import dev.perennial.workflows.ObjectRef;

/**
 * A scored chunk.
 *
 * @param index the chunk's index in the plan
 * @param output the predictions object
 * @param rows rows scored (rows in the output)
 * @param reused true when the output was there already, written for the same input bytes and model
 *     bytes, so nothing was scored again
 */
public record ChunkResult(int index, ObjectRef output, long rows, boolean reused) {}
