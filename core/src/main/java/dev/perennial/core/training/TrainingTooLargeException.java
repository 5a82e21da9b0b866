package dev.perennial.core.training;

import dev.perennial.core.dataset.InvalidDatasetException;

/**
 * A training ran out of the worker's heap. The message names the size that did not fit (rows and
 * columns, the worker's maximum heap) and what would make it fit; a retry on the same worker would
 * only run out again. Like {@link InvalidDatasetException} it carries no cause and a capped
 * message, so it fits in a Temporal failure.
 */
public final class TrainingTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingTooLargeException(String message) {
    super(InvalidDatasetException.capped(message));
  }
}
