package dev.perennial.workflows;

import io.temporal.failure.ApplicationFailure;

/**
 * {@code ApplicationFailure} types that mean "bad input": retrying cannot help, so every activity
 * option in {@link ActivityStubs} lists them as non-retryable and the workflow ends with a message
 * a person can act on.
 */
public final class FailureTypes {
  /** A request record has missing or out-of-range fields. */
  public static final String INVALID_REQUEST = "InvalidRequest";

  /** The dataset spec matches no data, or the data cannot be read as the schema says. */
  public static final String INVALID_DATASET = "InvalidDataset";

  /** The dataset was read but breaks hard validation rules. */
  public static final String DATA_VALIDATION_FAILED = "DataValidationFailed";

  /** Stored bytes do not match their recorded SHA-256, or fail the deserialization allowlist. */
  public static final String INTEGRITY = "IntegrityViolation";

  /** The registry refused an operation (unknown version, alias on a rejected version, ...). */
  public static final String REGISTRY_CONFLICT = "RegistryConflict";

  /**
   * The work did not fit the worker (its heap ran out): the same worker would fail again, so it is
   * not retried; the message names the size and what would make it fit.
   */
  public static final String RESOURCE_EXHAUSTED = "ResourceExhausted";

  /** A person aborted the run. */
  public static final String ABORTED = "Aborted";

  static final String[] NON_RETRYABLE = {
    INVALID_REQUEST,
    INVALID_DATASET,
    DATA_VALIDATION_FAILED,
    INTEGRITY,
    REGISTRY_CONFLICT,
    RESOURCE_EXHAUSTED
  };

  private FailureTypes() {}

  /**
   * The innermost message of {@code e}: the activity's or the server's own words, not wrappers'.
   */
  public static String innermostMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
  }
}
