package dev.perennial.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.logs.ServingLogRecord.Failure;
import dev.perennial.core.logs.ServingLogRecord.Feedback;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import dev.perennial.serving.ServingProperties.Scope;
import dev.perennial.workflows.RequestProblems;
import io.micrometer.core.instrument.Counter;
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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;

/**
 * {@code POST /v1/models/{model}/predict}: one row as a JSON object, or {@code {"rows":[...]}}.
 * Rows are checked against the served version's feature schema; the answer names the version and
 * carries a request id.
 *
 * <p>What a row may carry: only the schema's features; a numeric one a finite JSON number within
 * the feature's declared {@code min..max}, a categorical one a string. A feature absent from a row
 * (or {@code null}) is accepted as missing and the model's encoder imputes it, but a row must carry
 * at least one feature. A category the schema does not list is accepted too: the model encodes it
 * as unknown, and drift analysis counts it as {@code __unknown__}. Each refusal is an RFC 9457
 * problem (400) whose {@code field} names the value at fault ({@code rows[i].<feature>} in a batch,
 * {@code <feature>} for a single row) and whose {@code detail} names the rule; so is a body that is
 * not JSON at all (malformed, empty, {@code NaN}, too deeply nested).
 *
 * <p>Every scored row is logged with the request's scoring latency, and a request the server fails
 * (not one it refuses) is logged as one entry with an {@code "error"}: the prediction log is what
 * canary analysis compares champion and canary on, so errors and latency must be in it per version.
 * While a shadow runs, each request the champion answered (or the routing's share of them) is then
 * scored by the shadow off the request's path ({@link ShadowScoring}): the answer is the champion's
 * alone.
 *
 * <p>Predict needs an API key of scope {@code predict}, feedback one of scope {@code feedback}
 * ({@link ApiKeyCheck}), unless {@code perennial.serving.auth.enabled=false}.
 */
@RestController
class PredictionController {
  private static final Logger log = LoggerFactory.getLogger(PredictionController.class);
  private static final int MAX_ERROR_CHARS = 300;

  /**
   * The model tag of a request that failed before its model was resolved: not a valid model name,
   * so it never collides with one, and one series however many names such requests carry.
   */
  static final String UNRESOLVED = "(unresolved)";

  private final ServedModels models;
  private final PredictionLog predictions;
  private final MeterRegistry meters;
  private final OnlineQuality quality;
  private final ShadowScoring shadows;
  private final int maxBatchRows;

  PredictionController(
      ServedModels models,
      PredictionLog predictions,
      MeterRegistry meters,
      OnlineQuality quality,
      ShadowScoring shadows,
      ServingProperties properties) {
    this.models = models;
    this.predictions = predictions;
    this.meters = meters;
    this.quality = quality;
    this.shadows = shadows;
    this.maxBatchRows = properties.serving().maxBatchRows();
  }

  /**
   * A request the server refuses, with the HTTP status, the request field at fault (if one is) and
   * a message naming the problem.
   */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final HttpStatus status;
    final String field;

    Refused(HttpStatus status, String message) {
      this(status, null, message);
    }

    Refused(HttpStatus status, String field, String message) {
      super(message);
      this.status = status;
      this.field = field;
    }
  }

  /**
   * The routing of {@code model}, refusing a name the registry would refuse (400) and a model
   * without a champion (404). Runs before anything is logged, counted or looked up under the name,
   * so neither the spool's paths nor the metrics' tags ever carry a name that is not a model's.
   *
   * @throws RuntimeException when the registry cannot be read
   */
  private ServedModels.Routing routing(String model) {
    List<String> problems = new RequestProblems().name("model", model).list();
    if (!problems.isEmpty()) {
      throw new Refused(HttpStatus.BAD_REQUEST, "model", shorten(problems.getFirst()));
    }
    return models
        .current(model)
        .orElseThrow(
            () ->
                new Refused(
                    HttpStatus.NOT_FOUND,
                    "model",
                    "model '" + model + "' has no champion to serve: train and promote one"));
  }

  @PostMapping("/v1/models/{model}/predict")
  @ApiKeyCheck.Needs(Scope.PREDICT)
  ResponseEntity<Map<String, Object>> predict(
      @PathVariable String model,
      @RequestBody Object body,
      @RequestHeader(name = "X-Entity-Key", required = false) String entityKey) {
    String requestId = UUID.randomUUID().toString();
    ServedModels.Loaded served;
    ServedModels.Loaded shadow;
    try {
      ServedModels.Routing routing = routing(model);
      served = routing.choose(entityKey);
      shadow = routing.shadowFor(entityKey);
    } catch (Refused e) {
      throw e;
    } catch (RuntimeException e) {
      // The registry could not be read, so no version was chosen: nothing to log against one. The
      // model is not served yet (a served one is answered from memory), so its name is no tag.
      log.warn("{}: request {} failed", model, requestId, e);
      return failed(UNRESOLVED, "none", requestId, e);
    }
    Instant now = Instant.now();
    long started = System.nanoTime();
    String version = Integer.toString(served.version());
    List<Map<String, Object>> rows;
    double[] probabilities;
    long validated;
    try {
      rows = rows(body, served.schema());
      validated = System.nanoTime();
      probabilities = served.score(rows);
    } catch (Refused e) {
      latency(model, version, started);
      count(model, version, "refused");
      throw e;
    } catch (RuntimeException e) {
      // The version failed, not the client: canary analysis counts this against the version.
      predictions.record(
          new Failure(
              model,
              now,
              requestId,
              served.version(),
              describe(e),
              latency(model, version, started)));
      return failed(model, version, requestId, e);
    }
    // Timed up to here, before logging: every row's entry carries the figure, and waiting for room
    // in the log's queue is not the version's doing.
    double latencyMs = latency(model, version, started);
    DistributionSummary distribution =
        DistributionSummary.builder("perennial.serving.prediction")
            .description("Predicted probability of class 1")
            .tags("model", model, "version", version)
            .register(meters);
    List<Map<String, Object>> answers = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      double probability = probabilities[i];
      distribution.record(probability);
      quality.scored(model, requestId, i, served.version(), probability);
      Prediction logged =
          new Prediction(
              model,
              now,
              requestId,
              served.version(),
              i,
              probability,
              rows.get(i),
              latencyMs,
              entityKey);
      predictions.record(logged);
      answers.add(Map.of("probability", probability, "label", logged.label()));
    }
    count(model, version, "ok");
    if (shadow != null) {
      // Only a request the champion answered is shadowed: the two are compared on the same rows.
      shadows.submit(shadow, requestId, now, rows, validated - started, entityKey);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("model", model);
    answer.put("version", served.version());
    answer.put("requestId", requestId);
    answer.put("predictions", answers);
    return ResponseEntity.ok(answer);
  }

  /**
   * Milliseconds since {@code started} (a {@link System#nanoTime()}), also recorded in the
   * version's latency timer.
   */
  private double latency(String model, String version, long started) {
    long nanos = System.nanoTime() - started;
    Timer.builder("perennial.serving.latency")
        .description("Time to score a request")
        .tags("model", model, "version", version)
        .publishPercentiles(0.5, 0.99)
        .register(meters)
        .record(nanos, TimeUnit.NANOSECONDS);
    return nanos / 1_000_000.0;
  }

  /** The answer to a request that failed on the server side; the log has the stack trace. */
  private ResponseEntity<Map<String, Object>> failed(
      String model, String version, String requestId, RuntimeException e) {
    if (!UNRESOLVED.equals(model)) {
      log.warn("{} version {}: request {} failed", model, version, requestId, e);
    }
    count(model, version, "error");
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(Map.of("error", describe(e), "requestId", requestId));
  }

  /** Exception class and message, short enough for a log line and an HTTP answer. */
  static String describe(Throwable e) {
    String name =
        e.getClass().getSimpleName().isEmpty()
            ? e.getClass().getName()
            : e.getClass().getSimpleName();
    return shorten(e.getMessage() == null ? name : name + ": " + e.getMessage());
  }

  private static String shorten(String text) {
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS - 3) + "...";
  }

  /**
   * {@code POST /v1/models/{model}/feedback}: delayed true labels, {@code {"requestId": "...",
   * "label": 0|1}} (optionally {@code "row"} for a batch request's row) or {@code {"rows": [...]}},
   * logged for online quality per version. As many labels as a prediction may carry rows.
   */
  @PostMapping("/v1/models/{model}/feedback")
  @ApiKeyCheck.Needs(Scope.FEEDBACK)
  ResponseEntity<Map<String, Object>> feedback(
      @PathVariable String model, @RequestBody Object body) {
    try {
      routing(model);
    } catch (Refused e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("{}: feedback refused, the registry could not be read", model, e);
      throw new Refused(
          HttpStatus.SERVICE_UNAVAILABLE,
          "the registry could not be read to check model '" + model + "': try again");
    }
    List<?> items =
        body instanceof Map<?, ?> object && object.get("rows") instanceof List<?> list
            ? list
            : List.of(body);
    if (items.size() > maxBatchRows) {
      throw new Refused(
          HttpStatus.PAYLOAD_TOO_LARGE,
          "rows",
          "rows: "
              + items.size()
              + " labels, more than the "
              + maxBatchRows
              + " one request may carry");
    }
    Instant now = Instant.now();
    List<Feedback> labels = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = items.size() == 1 ? "" : "rows[" + i + "].";
      if (!(items.get(i) instanceof Map<?, ?> item)) {
        throw new Refused(
            HttpStatus.BAD_REQUEST, at + "feedback", at + "feedback: must be an object");
      }
      if (!(item.get("requestId") instanceof String id) || id.isBlank()) {
        throw new Refused(
            HttpStatus.BAD_REQUEST,
            at + "requestId",
            at + "requestId: required, the id a prediction returned");
      }
      Object label = item.get("label");
      if (!(label instanceof Number n) || (n.doubleValue() != 0 && n.doubleValue() != 1)) {
        throw new Refused(
            HttpStatus.BAD_REQUEST,
            at + "label",
            at + "label: must be 0 or 1, got " + shown(label));
      }
      Object row = item.get("row");
      if (row != null
          && !((row instanceof Integer || row instanceof Long)
              && ((Number) row).longValue() >= 0
              && ((Number) row).longValue() <= Integer.MAX_VALUE)) {
        throw new Refused(
            HttpStatus.BAD_REQUEST,
            at + "row",
            at
                + "row: must be a non-negative integer, the row's index in its request, got "
                + shorten(shown(row)));
      }
      labels.add(
          new Feedback(
              model, now, id, row == null ? null : ((Number) row).intValue(), n.intValue()));
    }
    for (Feedback label : labels) {
      predictions.record(label);
      quality.labelled(model, label.requestId(), label.labelledRow(), label.label());
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("accepted", labels.size()));
  }

  /**
   * Counts a request of {@code version}. Its {@code error} series starts at 0 with its first
   * request of any outcome, so an error rate reads 0 before the first error (not "no data") and an
   * alert on it sees the first error as an increase.
   */
  private void count(String model, String version, String outcome) {
    requests(model, version, outcome).increment();
    if (!"error".equals(outcome)) {
      requests(model, version, "error");
    }
  }

  private Counter requests(String model, String version, String outcome) {
    return meters.counter(
        "perennial.serving.requests", "model", model, "version", version, "outcome", outcome);
  }

  /** The request's rows as feature name to value, checked against the schema. */
  private List<Map<String, Object>> rows(Object body, FeatureSchema schema) {
    List<?> raw;
    String prefix;
    if (body instanceof Map<?, ?> object && object.containsKey("rows")) {
      if (!(object.get("rows") instanceof List<?> list)) {
        throw new Refused(HttpStatus.BAD_REQUEST, "rows", "rows: must be an array of objects");
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
      throw new Refused(HttpStatus.BAD_REQUEST, "rows", "rows: is empty");
    }
    if (raw.size() > maxBatchRows) {
      throw new Refused(
          HttpStatus.PAYLOAD_TOO_LARGE,
          "rows",
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
        throw new Refused(
            HttpStatus.BAD_REQUEST,
            prefix + "[" + i + "]",
            prefix + "[" + i + "]: must be an object");
      }
      Map<String, Object> row = new HashMap<>();
      for (Map.Entry<?, ?> field : object.entrySet()) {
        String name = String.valueOf(field.getKey());
        FeatureSpec spec = features.get(name);
        if (spec == null) {
          throw new Refused(
              HttpStatus.BAD_REQUEST,
              at + name,
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
                HttpStatus.BAD_REQUEST,
                at + name,
                at + name + ": expected a number, got " + shorten(shown(value)));
          }
          row.put(name, inRange(at + name, spec, number));
        } else {
          if (!(value instanceof String text)) {
            throw new Refused(
                HttpStatus.BAD_REQUEST,
                at + name,
                at + name + ": expected a string, got " + shorten(shown(value)));
          }
          // A category the schema does not list is accepted: the model encodes it as unknown.
          row.put(name, text);
        }
      }
      if (row.isEmpty()) {
        // Each absent feature is imputed, but a row of nothing but imputations is no request.
        String where = prefix == null ? "the row" : prefix + "[" + i + "]";
        throw new Refused(
            HttpStatus.BAD_REQUEST,
            prefix == null ? null : prefix + "[" + i + "]",
            shorten(
                where
                    + ": carries none of this model's features (a missing one is imputed, but"
                    + " send at least one of: "
                    + String.join(", ", features.keySet().stream().sorted().toList())
                    + ")"));
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * {@code number} as a double, refused when it is not finite (a JSON number too large for a double
   * reads as infinity) or outside the feature's declared {@code min..max}.
   */
  private static double inRange(String field, FeatureSpec spec, Number number) {
    double v = number.doubleValue();
    if (!Double.isFinite(v)) {
      throw new Refused(
          HttpStatus.BAD_REQUEST,
          field,
          field + ": must be a finite number, got " + shorten(String.valueOf(number)));
    }
    Double min = spec.min();
    Double max = spec.max();
    if ((min != null && v < min) || (max != null && v > max)) {
      String rule =
          min != null && max != null
              ? "within " + plain(min) + ".." + plain(max)
              : min != null ? "at least " + plain(min) : "at most " + plain(max);
      throw new Refused(
          HttpStatus.BAD_REQUEST,
          field,
          field + ": must be " + rule + ", got " + shorten(plain(number)));
    }
    return v;
  }

  /** A number as written: integers without a fraction, others as Java prints them. */
  private static String plain(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    return String.valueOf(n);
  }

  private static String shown(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  /**
   * What is wrong with a body that could not be read as JSON (malformed, empty or {@code null},
   * {@code NaN} or {@code Infinity}, nested too deeply), in a sentence for the client, never a
   * trace; {@link RequestSizeLimit.Advice} answers it.
   */
  static String unreadable(HttpMessageNotReadableException e, String path) {
    String shape =
        path != null && path.endsWith("/feedback")
            ? "{\"requestId\": \"...\", \"label\": 0|1} or {\"rows\": [ ... ]}"
            : "one row as a JSON object, or {\"rows\": [ ... ]}";
    String message = null;
    String at = "";
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof JacksonException j) {
        message = j.getOriginalMessage();
        if (j.getLocation() != null && j.getLocation().getLineNr() > 0) {
          at =
              " at line "
                  + j.getLocation().getLineNr()
                  + ", column "
                  + j.getLocation().getColumnNr();
        }
        break;
      }
      if (t instanceof JsonProcessingException j) {
        message = j.getOriginalMessage();
        if (j.getLocation() != null && j.getLocation().getLineNr() > 0) {
          at =
              " at line "
                  + j.getLocation().getLineNr()
                  + ", column "
                  + j.getLocation().getColumnNr();
        }
        break;
      }
    }
    if (message == null) {
      String m = e.getMessage() == null ? "" : e.getMessage();
      return m.startsWith("Required request body is missing")
          ? "the body is empty (or null): send " + shape
          : shorten("the body could not be read: send " + shape);
    }
    // Only the reason's first line: Jackson may append a snippet of the source or a hint.
    String reason = message.lines().findFirst().orElse("").trim();
    if (reason.contains("Non-standard token")
        && (reason.contains("NaN") || reason.contains("Infinity"))) {
      return shorten(
          "the body is not valid JSON"
              + at
              + ": NaN/Infinity are not JSON numbers; send a finite number, or null (or leave the"
              + " feature out) for a missing value");
    }
    if (reason.contains("nesting depth")) {
      return shorten("the body is nested too deeply" + at + ": send " + shape);
    }
    if (reason.startsWith("No content to map")
        || reason.contains("end-of-input") && reason.contains("No content")) {
      return "the body is empty: send " + shape;
    }
    return shorten("the body is not valid JSON" + at + ": " + reason);
  }

  /**
   * An RFC 9457 problem: {@code detail} says what is wrong, {@code field} names the request field
   * at fault when one is; {@code error} repeats the detail for clients of the earlier answers.
   */
  @ExceptionHandler(Refused.class)
  ProblemDetail refused(Refused e) {
    return problem(e);
  }

  static ProblemDetail problem(Refused e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status, e.getMessage());
    if (e.field != null) {
      problem.setProperty("field", e.field);
    }
    problem.setProperty("error", e.getMessage());
    return problem;
  }
}
