package dev.perennial.core.training;

import dev.perennial.core.model.TrainingProgress;
import java.io.Serial;

/** Thrown when training stopped because {@link TrainingProgress#cancelled()} turned true. */
public final class TrainingCancelledException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  public TrainingCancelledException() {
    super("training was cancelled");
  }
}
