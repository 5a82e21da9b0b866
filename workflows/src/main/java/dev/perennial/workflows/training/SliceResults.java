package dev.perennial.workflows.training;

import java.util.List;

/**
 * The slices of one {@link Slicing}, in order: categories sorted, buckets ascending, {@code
 * missing} last. Only slices with rows are listed.
 *
 * @param by how the rows were cut
 * @param slices one entry per slice
 */
public record SliceResults(Slicing by, List<SliceMetrics> slices) {
  public SliceResults {
    slices = List.copyOf(slices);
  }
}
