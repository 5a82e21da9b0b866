package dev.perennial.starter.cli;

import dev.perennial.workflows.dataset.DatasetSpec;
import picocli.CommandLine.Option;

/**
 * The options {@code train} and {@code score} share: the model, and where its daily partitions
 * live. The day range stays with each command, whose help says what the days are for.
 */
final class ModelData {
  @Option(names = "--model", required = true, description = "Model name, e.g. credit-default.")
  String model;

  @Option(names = "--bucket", description = "Data bucket (default perennial-data).")
  String bucket;

  @Option(names = "--prefix", description = "Data prefix (default <model>/).")
  String prefix;

  /** The dataset to read, or null when no option names one, so the workflow's defaults apply. */
  DatasetSpec dataset(String from, String to, Integer lastDays) {
    return bucket == null && prefix == null && from == null && to == null && lastDays == null
        ? null
        : new DatasetSpec(bucket, prefix, from, to, lastDays, null);
  }
}
