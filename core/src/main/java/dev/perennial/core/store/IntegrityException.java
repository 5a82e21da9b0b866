package dev.perennial.core.store;

/**
 * Stored bytes do not match the SHA-256 recorded for them, or fail a safety check on reading:
 * something changed them after they were referenced. Never retried.
 */
public final class IntegrityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
