package dev.perennial.core.logs;

/**
 * A log line that cannot be used; the message says why. No stack trace: these are data, not bugs.
 */
public final class MalformedLine extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedLine(String message) {
    super(message, null, false, false);
  }

  /** A line the JSON parser rejected; the parser's first line says where and why. */
  public static MalformedLine notJson(Exception parseError) {
    String message = parseError.getMessage();
    if (message == null) {
      return new MalformedLine("not JSON: unreadable");
    }
    int newline = message.indexOf('\n');
    return new MalformedLine(
        "not JSON: " + (newline < 0 ? message : message.substring(0, newline)));
  }
}
