package dev.perennial.core.logs;

import static dev.perennial.core.logs.ServingLogRecord.ENTITY_KEY;
import static dev.perennial.core.logs.ServingLogRecord.ERROR;
import static dev.perennial.core.logs.ServingLogRecord.FEATURES;
import static dev.perennial.core.logs.ServingLogRecord.LABEL;
import static dev.perennial.core.logs.ServingLogRecord.LATENCY_MS;
import static dev.perennial.core.logs.ServingLogRecord.MODEL;
import static dev.perennial.core.logs.ServingLogRecord.PROBABILITY;
import static dev.perennial.core.logs.ServingLogRecord.REQUEST_ID;
import static dev.perennial.core.logs.ServingLogRecord.ROW;
import static dev.perennial.core.logs.ServingLogRecord.SHADOW;
import static dev.perennial.core.logs.ServingLogRecord.TIME;
import static dev.perennial.core.logs.ServingLogRecord.VERSION;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.perennial.core.Json;
import dev.perennial.core.logs.ServingLogRecord.Failure;
import dev.perennial.core.logs.ServingLogRecord.Feedback;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import dev.perennial.core.logs.ServingLogRecord.Served;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link ServingLogRecord}s to JSON lines and back, with the streaming parser: the features object
 * (most of a line) is skipped, or handed to a {@link FeatureSink}, without being built.
 *
 * <p>Lines are written with their keys in alphabetical order, as the servers before this class
 * wrote them (a map serialized with sorted keys), so a line's bytes did not change with it.
 */
final class LineCodec {
  private LineCodec() {}

  static String mustBe(String field, String expected) {
    return field + ": must be " + expected;
  }

  static byte[] encode(ServingLogRecord record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      switch (record) {
        case Prediction p -> {
          if (p.entityKey() != null) {
            g.writeStringField(ENTITY_KEY, p.entityKey());
          }
          if (p.features() != null) {
            g.writeFieldName(FEATURES);
            features(g, p.features());
          }
          g.writeNumberField(LABEL, p.label());
          latency(g, p.latencyMs());
          g.writeStringField(MODEL, p.model());
          g.writeNumberField(PROBABILITY, p.probability());
          g.writeStringField(REQUEST_ID, p.requestId());
          g.writeNumberField(ROW, p.row());
          shadow(g, p.shadow());
          g.writeStringField(TIME, p.time().toString());
          g.writeNumberField(VERSION, p.version());
        }
        case Failure f -> {
          g.writeStringField(ERROR, f.error());
          latency(g, f.latencyMs());
          g.writeStringField(MODEL, f.model());
          g.writeStringField(REQUEST_ID, f.requestId());
          shadow(g, f.shadow());
          g.writeStringField(TIME, f.time().toString());
          g.writeNumberField(VERSION, f.version());
        }
        case Feedback f -> {
          g.writeNumberField(LABEL, f.label());
          g.writeStringField(MODEL, f.model());
          g.writeStringField(REQUEST_ID, f.requestId());
          if (f.row() != null) {
            g.writeNumberField(ROW, f.row());
          }
          g.writeStringField(TIME, f.time().toString());
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: never
    }
    return bytes.toByteArray();
  }

  /** Only a shadow's lines carry the field, so every other line reads as before. */
  private static void shadow(JsonGenerator g, boolean shadow) throws IOException {
    if (shadow) {
      g.writeBooleanField(SHADOW, true);
    }
  }

  private static void latency(JsonGenerator g, Double latencyMs) throws IOException {
    if (latencyMs != null) {
      g.writeNumberField(LATENCY_MS, latencyMs);
    }
  }

  private static void features(JsonGenerator g, Map<String, ?> features) throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, ?> f : new TreeMap<>(features).entrySet()) {
      switch (f.getValue()) {
        case null -> {}
        case String text -> g.writeStringField(f.getKey(), text);
        case Double d -> g.writeNumberField(f.getKey(), d);
        case Float d -> g.writeNumberField(f.getKey(), d);
        case Integer n -> g.writeNumberField(f.getKey(), n);
        case Long n -> g.writeNumberField(f.getKey(), n);
        default ->
            throw new IllegalArgumentException(
                mustBe(FEATURES + "." + f.getKey(), "a number or a string")
                    + " (got "
                    + f.getValue().getClass().getSimpleName()
                    + ")");
      }
    }
    g.writeEndObject();
  }

  /**
   * Reads lines into records, strictly (the rules are on {@link ServingLogRecord}); not
   * thread-safe, as the feature sink is shared from line to line.
   */
  static final class Parser {
    private final String model;
    private final FeatureSink features;

    // One line's fields: null when absent or JSON null, and named in invalid when of a wrong type.
    private final List<String> invalid = new ArrayList<>(2);
    private Instant time;
    private String requestId;
    private Integer version;
    private Integer row;
    private Double probability;
    private Double latencyMs;
    private Integer label;
    private String error;
    private String entityKey;
    private Boolean shadow;

    /**
     * @param model the model whose log is read: the records' {@link ServingLogRecord#model()}
     * @param features where the features of a prediction line go, or null to skip them
     */
    Parser(String model, FeatureSink features) {
      this.model = model;
      this.features = features;
    }

    /** A prediction-log line. */
    Served served(byte[] bytes, int length) throws MalformedLine {
      parse(bytes, length);
      entry();
      require(version != null, VERSION, "an integer");
      if (invalid.contains(LATENCY_MS)) {
        throw malformed(LATENCY_MS, "a number of milliseconds, 0 or more");
      }
      require(!invalid.contains(SHADOW), SHADOW, "true or false");
      boolean shadowed = shadow != null && shadow;
      try {
        if (error != null || invalid.contains(ERROR)) {
          require(error != null, ERROR, "a string");
          return new Failure(model, time, requestId, version, error, latencyMs, shadowed);
        }
        require(row != null, ROW, "an integer, 0 or more");
        require(probability != null, PROBABILITY, "a number between 0 and 1");
        require(!invalid.contains(ENTITY_KEY), ENTITY_KEY, "a string");
        return new Prediction(
            model,
            time,
            requestId,
            version,
            row,
            probability,
            null,
            latencyMs,
            entityKey,
            shadowed);
      } catch (IllegalArgumentException e) {
        throw new MalformedLine(e.getMessage());
      }
    }

    /** A feedback line. */
    Feedback feedback(byte[] bytes, int length) throws MalformedLine {
      parse(bytes, length);
      entry();
      require(label != null, LABEL, "0 or 1");
      require(!invalid.contains(ROW), ROW, "an integer, 0 or more");
      try {
        return new Feedback(model, time, requestId, row, label);
      } catch (IllegalArgumentException e) {
        throw new MalformedLine(e.getMessage());
      }
    }

    private void entry() throws MalformedLine {
      require(time != null, TIME, "an ISO-8601 instant");
      require(requestId != null && !requestId.isBlank(), REQUEST_ID, "a non-empty string");
      require(!invalid.contains(FEATURES), FEATURES, "an object");
    }

    private static void require(boolean ok, String field, String expected) throws MalformedLine {
      if (!ok) {
        throw malformed(field, expected);
      }
    }

    private static MalformedLine malformed(String field, String expected) {
      return new MalformedLine(mustBe(field, expected));
    }

    private void parse(byte[] bytes, int length) throws MalformedLine {
      invalid.clear();
      time = null;
      requestId = null;
      version = null;
      row = null;
      probability = null;
      latencyMs = null;
      label = null;
      error = null;
      entityKey = null;
      shadow = null;
      if (features != null) {
        features.clear();
      }
      try (JsonParser p = Json.MAPPER.getFactory().createParser(bytes, 0, length)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new MalformedLine("not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          switch (field) {
            case TIME -> time = instant(p, field);
            case REQUEST_ID -> requestId = text(p, field);
            case VERSION -> version = integer(p, field);
            case ROW -> row = integer(p, field);
            case PROBABILITY -> probability = number(p, field);
            case LATENCY_MS -> latencyMs = number(p, field);
            case LABEL -> label = integer(p, field);
            case ERROR -> error = text(p, field);
            case ENTITY_KEY -> entityKey = text(p, field);
            case SHADOW -> shadow = bool(p, field);
            case FEATURES -> features(p);
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
    }

    private void features(JsonParser p) throws IOException, MalformedLine {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_NULL) {
        return;
      }
      if (token != JsonToken.START_OBJECT) {
        invalid.add(FEATURES);
        p.skipChildren();
        return;
      }
      if (features == null) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        int slot = features.slot(p.currentName());
        JsonToken value = p.nextToken();
        if (slot < 0 || value == JsonToken.VALUE_NULL) {
          p.skipChildren();
        } else if (features.numeric(slot)) {
          if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw malformed(FEATURES + "." + p.currentName(), "a number");
          }
          features.number(slot, p.getDoubleValue());
        } else {
          if (value != JsonToken.VALUE_STRING) {
            throw malformed(FEATURES + "." + p.currentName(), "a string");
          }
          features.category(slot, p.getText());
        }
      }
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

    private Boolean bool(JsonParser p, String field) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
        return token == JsonToken.VALUE_TRUE;
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
}
