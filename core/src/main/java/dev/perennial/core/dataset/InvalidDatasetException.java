package dev.perennial.core.dataset;

/**
 * The dataset cannot be used as asked: nothing matches the spec, the schema is missing or
 * malformed, a cell cannot be read as its column's type, or an object is not readable data (bad
 * gzip, truncated, not UTF-8). Retrying cannot help.
 *
 * <p>The message travels in a Temporal failure, so it is capped at {@link #MAX_MESSAGE} characters
 * and the exception never carries a cause (a cause chain can hold data and push the failure over
 * Temporal's size limit).
 */
public final class InvalidDatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Longest message kept; longer ones are cut and marked. */
  public static final int MAX_MESSAGE = 2_000;

  public InvalidDatasetException(String message) {
    super(capped(message));
  }

  /** {@code message} cut to {@link #MAX_MESSAGE} characters, marked when cut. */
  public static String capped(String message) {
    if (message == null || message.length() <= MAX_MESSAGE) {
      return message;
    }
    String mark = " ... (" + (message.length() - MAX_MESSAGE) + " more characters)";
    return message.substring(0, MAX_MESSAGE - mark.length()) + mark;
  }
}
