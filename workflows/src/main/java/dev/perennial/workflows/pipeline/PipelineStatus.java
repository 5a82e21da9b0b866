package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.gate.GateDecision;

/**
 * What the {@code status} query answers.
 *
 * @param model model name
 * @param stage current stage
 * @param progress 0.0 to 1.0 over the pipeline's stages
 * @param detail one line on what is happening
 * @param datasetVersion the snapshot's version once taken
 * @param version the registered version once registered
 * @param decision the gate's decision once made
 */
public record PipelineStatus(
    String model,
    Stage stage,
    double progress,
    String detail,
    String datasetVersion,
    Integer version,
    GateDecision decision) {}
