package dev.perennial.workflows.watch;

/**
 * Which prefix to list, and from which day on partitions count as new.
 *
 * @param bucket data bucket
 * @param prefix object prefix ending in '/', holding {@code dt=YYYY-MM-DD/} partitions and {@code
 *     _schema.json}
 * @param after ISO date: partitions dated after it are new; null: every partition is
 */
public record PartitionQuery(String bucket, String prefix, String after) {}
