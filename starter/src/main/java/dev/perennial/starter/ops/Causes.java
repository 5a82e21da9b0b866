package dev.perennial.starter.ops;

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
}
