package dev.perennial.serving;

import dev.perennial.activities.data.FeatureSchema;
import dev.perennial.activities.data.FeatureSpec;
import dev.perennial.activities.data.FeatureType;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/models/{model}/predict}: one row as a JSON object, or {@code {"rows":[...]}}.
 * Rows are checked against the served version's feature schema; the answer names the version and
 * carries a request id.
 */
@RestController
class PredictionController {
  private final ServedModels models;
  private final PredictionLog predictions;
  private final MeterRegistry meters;
  private final int maxBatchRows;

  PredictionController(
      ServedModels models,
      PredictionLog predictions,
      MeterRegistry meters,
      ServingProperties properties) {
    this.models = models;
    this.predictions = predictions;
    this.meters = meters;
    this.maxBatchRows = properties.serving().maxBatchRows();
  }

  /** A request the server refuses, with the HTTP status and a message naming the problem. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final HttpStatus status;

    Refused(HttpStatus status, String message) {
      super(message);
      this.status = status;
    }
  }

  @PostMapping("/v1/models/{model}/predict")
  Map<String, Object> predict(
      @PathVariable String model,
      @RequestBody Object body,
      @RequestHeader(name = "X-Entity-Key", required = false) String entityKey) {
    ServedModels.Loaded served =
        models
            .current(model)
            .map(routing -> routing.choose(entityKey))
            .orElseThrow(
                () ->
                    new Refused(
                        HttpStatus.NOT_FOUND,
                        "model '" + model + "' has no champion to serve: train and promote one"));
    Timer.Sample timing = Timer.start(meters);
    String version = Integer.toString(served.version());
    try {
      List<Map<String, Object>> rows = rows(body, served.schema());
      String requestId = UUID.randomUUID().toString();
      Instant now = Instant.now();
      List<Map<String, Object>> answers = new ArrayList<>(rows.size());
      DistributionSummary distribution =
          DistributionSummary.builder("perennial.serving.prediction")
              .description("Predicted probability of class 1")
              .tags("model", model, "version", version)
              .register(meters);
      for (Map<String, Object> row : rows) {
        double p = served.bundle().predictProba(row);
        distribution.record(p);
        int label = p >= 0.5 ? 1 : 0;
        answers.add(Map.of("probability", p, "label", label));
        Map<String, Object> logged = new HashMap<>();
        logged.put("requestId", requestId);
        logged.put("row", answers.size() - 1);
        logged.put("version", served.version());
        logged.put("features", row);
        logged.put("probability", p);
        logged.put("label", label);
        if (entityKey != null) {
          logged.put("entityKey", entityKey);
        }
        predictions.record(
            new PredictionLog.Entry(PredictionLog.Kind.PREDICTIONS, model, now, logged));
      }
      count(model, version, "ok");
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("model", model);
      answer.put("version", served.version());
      answer.put("requestId", requestId);
      answer.put("predictions", answers);
      return answer;
    } catch (Refused e) {
      count(model, version, "refused");
      throw e;
    } finally {
      timing.stop(
          Timer.builder("perennial.serving.latency")
              .description("Time to score a request")
              .tags("model", model, "version", version)
              .publishPercentiles(0.5, 0.99)
              .register(meters));
    }
  }

  /**
   * {@code POST /v1/models/{model}/feedback}: delayed true labels, {@code {"requestId": "...",
   * "label": 0|1}} (optionally {@code "row"} for a batch request's row) or {@code {"rows": [...]}},
   * logged for online quality per version.
   */
  @PostMapping("/v1/models/{model}/feedback")
  ResponseEntity<Map<String, Object>> feedback(
      @PathVariable String model, @RequestBody Object body) {
    List<?> items =
        body instanceof Map<?, ?> object && object.get("rows") instanceof List<?> list
            ? list
            : List.of(body);
    Instant now = Instant.now();
    List<Map<String, Object>> labels = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = items.size() == 1 ? "" : "rows[" + i + "].";
      if (!(items.get(i) instanceof Map<?, ?> item)) {
        throw new Refused(HttpStatus.BAD_REQUEST, at + "feedback: must be an object");
      }
      if (!(item.get("requestId") instanceof String id) || id.isBlank()) {
        throw new Refused(
            HttpStatus.BAD_REQUEST, at + "requestId: required, the id a prediction returned");
      }
      Object label = item.get("label");
      if (!(label instanceof Number n) || (n.doubleValue() != 0 && n.doubleValue() != 1)) {
        throw new Refused(
            HttpStatus.BAD_REQUEST, at + "label: must be 0 or 1, got " + shown(label));
      }
      Map<String, Object> logged = new HashMap<>();
      logged.put("requestId", id);
      logged.put("label", n.intValue());
      if (item.get("row") instanceof Number row) {
        logged.put("row", row.intValue());
      }
      labels.add(logged);
    }
    labels.forEach(
        l ->
            predictions.record(
                new PredictionLog.Entry(PredictionLog.Kind.FEEDBACK, model, now, l)));
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("accepted", labels.size()));
  }

  private void count(String model, String version, String outcome) {
    meters
        .counter(
            "perennial.serving.requests", "model", model, "version", version, "outcome", outcome)
        .increment();
  }

  /** The request's rows as feature name to value, checked against the schema. */
  private List<Map<String, Object>> rows(Object body, FeatureSchema schema) {
    List<?> raw;
    String prefix;
    if (body instanceof Map<?, ?> object && object.containsKey("rows")) {
      if (!(object.get("rows") instanceof List<?> list)) {
        throw new Refused(HttpStatus.BAD_REQUEST, "rows: must be an array of objects");
      }
      raw = list;
      prefix = "rows";
    } else if (body instanceof Map<?, ?> object) {
      raw = List.of(object);
      prefix = null;
    } else {
      throw new Refused(
          HttpStatus.BAD_REQUEST, "send one row as a JSON object, or {\"rows\": [ ... ]}");
    }
    if (raw.isEmpty()) {
      throw new Refused(HttpStatus.BAD_REQUEST, "rows: is empty");
    }
    if (raw.size() > maxBatchRows) {
      throw new Refused(
          HttpStatus.PAYLOAD_TOO_LARGE,
          "rows: "
              + raw.size()
              + " rows, more than the "
              + maxBatchRows
              + " one request may carry");
    }
    Map<String, FeatureSpec> features = new HashMap<>();
    for (FeatureSpec f : schema.features()) {
      features.put(f.name(), f);
    }
    List<Map<String, Object>> rows = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      String at = prefix == null ? "" : prefix + "[" + i + "].";
      if (!(raw.get(i) instanceof Map<?, ?> object)) {
        throw new Refused(HttpStatus.BAD_REQUEST, prefix + "[" + i + "]: must be an object");
      }
      Map<String, Object> row = new HashMap<>();
      for (Map.Entry<?, ?> field : object.entrySet()) {
        String name = String.valueOf(field.getKey());
        FeatureSpec spec = features.get(name);
        if (spec == null) {
          throw new Refused(
              HttpStatus.BAD_REQUEST,
              at
                  + name
                  + ": not a feature of this model (features: "
                  + String.join(", ", features.keySet().stream().sorted().toList())
                  + ")");
        }
        Object value = field.getValue();
        if (value == null) {
          continue;
        }
        if (spec.type() == FeatureType.NUMERIC) {
          if (!(value instanceof Number number)) {
            throw new Refused(
                HttpStatus.BAD_REQUEST, at + name + ": expected a number, got " + shown(value));
          }
          row.put(name, number.doubleValue());
        } else {
          if (!(value instanceof String text)) {
            throw new Refused(
                HttpStatus.BAD_REQUEST, at + name + ": expected a string, got " + shown(value));
          }
          row.put(name, text);
        }
      }
      rows.add(row);
    }
    return rows;
  }

  private static String shown(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  @ExceptionHandler(Refused.class)
  ResponseEntity<Map<String, String>> refused(Refused e) {
    return ResponseEntity.status(e.status).body(Map.of("error", e.getMessage()));
  }
}
