package dev.perennial.activities.drift;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.perennial.core.Json;
import dev.perennial.core.logs.MalformedLine;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One prediction-log or feedback line as drift measurement reads it, features included. The feature
 * values land in arrays indexed like the reference's features and reused from line to line, because
 * a window's millions of lines must not cost an object per value. Numbers that a line lacks are
 * NaN, categories it lacks are null. Feature names the reference does not know are skipped.
 *
 * <p>Field order in a line is arbitrary (the server writes a map), so the features are buffered
 * until the whole line is read and the caller knows whether its time is in the window.
 */
final class ServedLine {
  private final Map<String, Integer> index;
  private final boolean[] numericFeature;

  final double[] numbers;
  final String[] categories;
  Instant time;
  String requestId;
  Integer version;
  Integer row;
  Double probability;
  Integer label;
  boolean failed;

  /**
   * @param features the reference's features in order
   * @param numeric whether each is numeric
   */
  ServedLine(List<String> features, boolean[] numeric) {
    this.index = new java.util.HashMap<>();
    for (int i = 0; i < features.size(); i++) {
      index.put(features.get(i), i);
    }
    this.numericFeature = numeric.clone();
    this.numbers = new double[features.size()];
    this.categories = new String[features.size()];
  }

  /** Reads one line into this buffer, replacing the previous one's values. */
  void parse(byte[] bytes, int length) throws MalformedLine {
    time = null;
    requestId = null;
    version = null;
    row = null;
    probability = null;
    label = null;
    failed = false;
    Arrays.fill(numbers, Double.NaN);
    Arrays.fill(categories, null);
    try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedLine("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken token = p.nextToken();
        switch (field) {
          case "time" -> time = instant(p);
          case "requestId" -> requestId = token == JsonToken.VALUE_STRING ? p.getText() : null;
          case "version" -> version = integer(p);
          case "row" -> row = integer(p);
          case "label" -> label = integer(p);
          case "probability" ->
              probability =
                  token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT
                      ? p.getDoubleValue()
                      : null;
          case "error" -> {
            failed = token != JsonToken.VALUE_NULL;
            p.skipChildren();
          }
          case "features" -> features(p);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new MalformedLine("not a single JSON object");
      }
    } catch (IOException e) {
      throw MalformedLine.notJson(e);
    }
    if (time == null) {
      throw new MalformedLine("time: must be an ISO-8601 instant");
    }
  }

  private void features(JsonParser p) throws IOException, MalformedLine {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new MalformedLine("features: must be an object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Integer i = index.get(p.currentName());
      JsonToken token = p.nextToken();
      if (i == null || token == JsonToken.VALUE_NULL) {
        p.skipChildren();
        continue;
      }
      if (numericFeature[i]) {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
          throw new MalformedLine("features." + p.currentName() + ": must be a number");
        }
        numbers[i] = p.getDoubleValue();
      } else {
        if (token != JsonToken.VALUE_STRING) {
          throw new MalformedLine("features." + p.currentName() + ": must be a string");
        }
        categories[i] = p.getText();
      }
    }
  }

  private static Instant instant(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      p.skipChildren();
      return null;
    }
    try {
      return Instant.parse(p.getText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Integer integer(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    p.skipChildren();
    return null;
  }
}
