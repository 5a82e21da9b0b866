package dev.perennial.workflows.dataset;

import dev.perennial.workflows.ObjectRef;

/**
 * An immutable view of a dataset: the manifest lists every object with size, ETag and SHA-256, and
 * its hash is the dataset version. Readers verify each object against the manifest.
 *
 * @param datasetVersion SHA-256 of the canonical manifest content
 * @param manifest where the manifest JSON is stored
 * @param schema the schema file the data was read with
 * @param firstDay first partition date included
 * @param lastDay last partition date included
 * @param partitions number of daily partitions
 * @param objects number of data objects
 * @param bytes total size of the data objects
 */
public record DatasetSnapshot(
    String datasetVersion,
    ObjectRef manifest,
    ObjectRef schema,
    String firstDay,
    String lastDay,
    int partitions,
    int objects,
    long bytes) {}
