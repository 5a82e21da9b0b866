package dev.perennial.activities.canary;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.perennial.core.Json;
import dev.perennial.core.logs.MalformedLine;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one prediction-log or feedback line that canary analysis uses, read with the
 * streaming parser so the features object (most of a line) is skipped without being built.
 *
 * <p>A field that is absent or JSON {@code null} is {@code null} here; a field present with the
 * wrong type is {@code null} too and named in {@link #invalid}, so the checks below can tell "not
 * written by an older server" (fine for {@code latencyMs}) from "garbled" (never fine).
 */
final class LogLine {
  Instant time;
  String requestId;
  Integer version;
  Integer row;
  Double probability;
  Double latencyMs;
  Integer label;

  /** Present and not null: the server logged a failed request, not a prediction. */
  boolean failed;

  private final List<String> invalid = new ArrayList<>(1);

  private LogLine() {}

  /**
   * Reads one line.
   *
   * @throws MalformedLineLine when it is not a single JSON object
   */
  static LogLine parse(byte[] bytes, int length) throws MalformedLine {
    LogLine line = new LogLine();
    try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedLine("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "time" -> line.time = line.instant(p, field);
          case "requestId" -> line.requestId = line.text(p, field);
          case "version" -> line.version = line.integer(p, field);
          case "row" -> line.row = line.integer(p, field);
          case "probability" -> line.probability = line.number(p, field);
          case "latencyMs" -> line.latencyMs = line.number(p, field);
          case "label" -> line.label = line.integer(p, field);
          case "error" -> {
            line.failed = p.currentToken() != JsonToken.VALUE_NULL;
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new MalformedLine("not a single JSON object");
      }
    } catch (IOException e) {
      // Jackson's parse errors are IOExceptions; the bytes are in memory, so nothing else is.
      throw MalformedLine.notJson(e);
    }
    return line;
  }

  /** Why this line cannot be used as a time-stamped entry with a request id, or null. */
  String entryProblem() {
    if (time == null) {
      return problem("time", "an ISO-8601 instant");
    }
    if (requestId == null || requestId.isBlank()) {
      return problem("requestId", "a non-empty string");
    }
    return null;
  }

  /**
   * Why this line cannot count as a prediction or a failed request of {@link #version}, or null.
   */
  String servedProblem() {
    if (version == null) {
      return problem("version", "an integer");
    }
    if (invalid.contains("latencyMs")
        || (latencyMs != null && !(Double.isFinite(latencyMs) && latencyMs >= 0))) {
      return "latencyMs: must be a number of milliseconds, 0 or more";
    }
    if (failed) {
      return null;
    }
    if (row == null || row < 0) {
      return problem("row", "an integer, 0 or more");
    }
    if (probability == null || !(probability >= 0 && probability <= 1)) {
      return problem("probability", "a number between 0 and 1");
    }
    return null;
  }

  /** Why this line cannot count as a feedback label, or null. */
  String feedbackProblem() {
    if (label == null || (label != 0 && label != 1)) {
      return problem("label", "0 or 1");
    }
    if (invalid.contains("row") || (row != null && row < 0)) {
      return "row: must be an integer, 0 or more";
    }
    return null;
  }

  private static String problem(String field, String expected) {
    return field + ": must be " + expected;
  }

  private Instant instant(JsonParser p, String field) throws IOException {
    String text = text(p, field);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      invalid.add(field);
      return null;
    }
  }

  private String text(JsonParser p, String field) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    return wrongOrNull(p, field);
  }

  private Integer integer(JsonParser p, String field) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    return wrongOrNull(p, field);
  }

  private Double number(JsonParser p, String field) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    return wrongOrNull(p, field);
  }

  private <T> T wrongOrNull(JsonParser p, String field) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_NULL) {
      invalid.add(field);
    }
    p.skipChildren();
    return null;
  }
}
