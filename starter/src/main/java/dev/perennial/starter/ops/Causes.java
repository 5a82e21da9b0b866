package dev.perennial.starter.ops;

import io.temporal.failure.ApplicationFailure;

/** Looks through a failure's chain of causes. */
public final class Causes {
  private Causes() {}

  /**
   * The first throwable of {@code type} in {@code e}'s cause chain, {@code e} included; or null.
   */
  public static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The innermost cause's message; an application failure's own message, without its type. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
  }
}
