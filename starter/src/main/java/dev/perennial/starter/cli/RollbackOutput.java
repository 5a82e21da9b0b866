package dev.perennial.starter.cli;

import dev.perennial.workflows.rollback.RollbackResult;
import java.io.PrintWriter;

/** How {@code rollback} and the demo print what a rollback did. */
public final class RollbackOutput {
  private RollbackOutput() {}

  public static void print(RollbackResult result, PrintWriter out) {
    out.printf("%s: %s%n", result.model(), result.message());
    out.flush();
  }
}
