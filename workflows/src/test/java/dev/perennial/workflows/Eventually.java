package dev.perennial.workflows;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in real time for a state, by polling with a deadline rather than sleeping a guess. */
public final class Eventually {
  private Eventually() {}

  /** Returns once {@code condition} holds; fails naming {@code what} if it does not in time. */
  public static void until(String what, Duration within, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + within.toSeconds() + " s");
      }
      // The poll interval of this deadline-bound wait.
      Thread.sleep(20);
    }
  }
}
