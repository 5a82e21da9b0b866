package dev.perennial.activities.logs;

/**
 * A log line that cannot be used; the message says why. No stack trace: these are data, not bugs.
 */
public final class MalformedLine extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedLine(String message) {
    super(message, null, false, false);
  }
}
