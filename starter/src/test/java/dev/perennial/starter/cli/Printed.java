package dev.perennial.starter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.ToIntFunction;

/** What a command's method printed, and the exit code it returned. */
public record Printed(int code, String out) {

  /** Runs {@code command} on a fresh writer. */
  public static Printed printed(ToIntFunction<PrintWriter> command) {
    StringWriter text = new StringWriter();
    int code = command.applyAsInt(new PrintWriter(text, true));
    return new Printed(code, text.toString());
  }
}
