package dev.perennial.starter.cli;

/** Who runs the command line, for the audit of what it changes. */
public final class Caller {
  private Caller() {}

  /** The login, or {@code cli} when the JVM knows none. */
  public static String name() {
    String name = System.getProperty("user.name", "");
    return name.isBlank() ? "cli" : name;
  }
}
