package dev.perennial.core.logs;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the serving log: what a model server served (a {@link Prediction} per scored row, a
 * {@link Failure} per request it failed) and the labels it was told later ({@link Feedback}). The
 * model server writes these with {@link #toLine()}; {@link ServingLogs} reads them back for canary
 * and drift analysis. This type is the format's one definition: the field names below, and both
 * directions of the encoding.
 *
 * <p>On disk and in S3 a line is one JSON object, UTF-8, keys in alphabetical order, e.g.
 *
 * <pre>{@code
 * {"features":{"plan":"basic","tenure":12.0},"label":0,"latencyMs":1.25,"model":"churn",
 *  "probability":0.25,"requestId":"3f…","row":0,"time":"2026-03-02T10:00:00Z","version":1}
 * {"error":"IllegalStateException: …","latencyMs":3.0,"model":"churn","requestId":"…",
 *  "time":"…","version":2}
 * {"label":1,"model":"churn","requestId":"3f…","row":0,"time":"…"}
 * }</pre>
 *
 * (one line each; wrapped here). Prediction lines go to {@link ServingLogs#PREDICTIONS}, feedback
 * to {@link ServingLogs#FEEDBACK}.
 *
 * <p>Reading is strict, the same for every analysis: a line becomes a record only when it is one
 * JSON object whose fields have the types and ranges the compact constructors below enforce, and
 * every line of every object read is checked in full, in the window or not. What a reader accepts
 * and what it does not:
 *
 * <ul>
 *   <li>every line: {@code time} an ISO-8601 instant, {@code requestId} a non-empty string;
 *   <li>a prediction-log line: {@code version} an integer, {@code latencyMs} absent (older servers
 *       did not write it) or a number of milliseconds, 0 or more; then either an {@code error}
 *       string (a failure) or {@code row}, an integer 0 or more, and {@code probability}, a number
 *       between 0 and 1; {@code features} absent or an object, and with a {@link FeatureSink}, each
 *       feature it knows a number or a string as the reference says; {@code shadow} absent (an
 *       answered request) or a boolean;
 *   <li>a feedback line: {@code label} 0 or 1, {@code row} absent (row 0) or an integer 0 or more;
 *   <li>fields a record does not know ({@code model}, a prediction's answered {@code label}) are
 *       not checked, so lines written by earlier servers still read.
 * </ul>
 *
 * A line that fails is not refused with an exception: it is skipped and counted ({@link
 * ServingLogs.Pass#malformedLines()}), and the log names the object, the line number and the field
 * at fault (the first such line of each object, then a total per object), because one corrupt line
 * must not hold a rollout or a drift monitor hostage, and a retry would read the same bytes.
 */
public sealed interface ServingLogRecord {
  String TIME = "time";
  String MODEL = "model";
  String REQUEST_ID = "requestId";
  String VERSION = "version";
  String ROW = "row";
  String PROBABILITY = "probability";
  String LABEL = "label";
  String LATENCY_MS = "latencyMs";
  String FEATURES = "features";
  String ENTITY_KEY = "entityKey";
  String ERROR = "error";
  String SHADOW = "shadow";

  /** The model served; on a record read back, the model whose log it was read from. */
  String model();

  /** When the server received the request (a prediction, a failure) or the label (feedback). */
  Instant time();

  /** The id the server answered the request with; feedback names the request it labels. */
  String requestId();

  /**
   * The log the record belongs to: {@link ServingLogs#PREDICTIONS} or {@link ServingLogs#FEEDBACK}.
   */
  String kind();

  /** The record as one JSON line, without the newline. */
  default byte[] toLine() {
    return LineCodec.encode(this);
  }

  /** A prediction-log record: what one version did with a request. */
  sealed interface Served extends ServingLogRecord permits Prediction, Failure {
    /** The model version that served the request. */
    int version();

    /** How long the request took to score, null in logs of servers that did not say. */
    Double latencyMs();

    /**
     * True when a shadow scored the request beside the champion: its answer went to nobody. Shadow
     * lines are written with {@code "shadow":true} and without features (the champion's line of the
     * same request carries them); other lines leave the field out.
     */
    boolean shadow();

    @Override
    default String kind() {
      return ServingLogs.PREDICTIONS;
    }
  }

  /**
   * One scored row.
   *
   * @param row the row's index in its request (0 for a single-row request)
   * @param probability the predicted probability of class 1
   * @param features the row as scored, feature name to a number or a string; null on a record read
   *     back: readers hand features to a {@link FeatureSink} instead of building a map per line
   * @param entityKey the request's {@code X-Entity-Key} (sticky routing), or null
   * @param shadow true when a shadow scored the row and answered nobody
   */
  record Prediction(
      String model,
      Instant time,
      String requestId,
      int version,
      int row,
      double probability,
      Map<String, ?> features,
      Double latencyMs,
      String entityKey,
      boolean shadow)
      implements Served {

    /** A row the version answered. */
    public Prediction(
        String model,
        Instant time,
        String requestId,
        int version,
        int row,
        double probability,
        Map<String, ?> features,
        Double latencyMs,
        String entityKey) {
      this(
          model, time, requestId, version, row, probability, features, latencyMs, entityKey, false);
    }

    public Prediction {
      entry(model, time, requestId);
      check(row >= 0, ROW, "an integer, 0 or more", row);
      check(
          probability >= 0 && probability <= 1,
          PROBABILITY,
          "a number between 0 and 1",
          probability);
      checkLatency(latencyMs);
    }

    /** The class the server answers for {@code probability}: 1 from 0.5 up. */
    public static int labelOf(double probability) {
      return probability >= 0.5 ? 1 : 0;
    }

    /** The class the server answered. */
    public int label() {
      return labelOf(probability);
    }
  }

  /**
   * A request the server failed after choosing the version (a request it refused is not logged):
   * canary analysis counts it against the version.
   *
   * @param error the exception, short
   * @param shadow true when the version failed as a shadow: the champion answered the request
   */
  record Failure(
      String model,
      Instant time,
      String requestId,
      int version,
      String error,
      Double latencyMs,
      boolean shadow)
      implements Served {

    /** A request the version failed in answering it. */
    public Failure(
        String model, Instant time, String requestId, int version, String error, Double latencyMs) {
      this(model, time, requestId, version, error, latencyMs, false);
    }

    public Failure {
      entry(model, time, requestId);
      Objects.requireNonNull(error, "error");
      checkLatency(latencyMs);
    }
  }

  /**
   * A true label, delayed.
   *
   * @param row the labelled row's index in its request, or null when not given: row 0
   * @param label 0 or 1
   */
  record Feedback(String model, Instant time, String requestId, Integer row, int label)
      implements ServingLogRecord {
    public Feedback {
      entry(model, time, requestId);
      check(row == null || row >= 0, ROW, "an integer, 0 or more", row);
      check(label == 0 || label == 1, LABEL, "0 or 1", label);
    }

    /** The row labelled: {@link #row()}, or 0 when the feedback did not name one. */
    public int labelledRow() {
      return row == null ? 0 : row;
    }

    @Override
    public String kind() {
      return ServingLogs.FEEDBACK;
    }
  }

  private static void entry(String model, Instant time, String requestId) {
    Objects.requireNonNull(model, MODEL);
    check(time != null, TIME, "an ISO-8601 instant", null);
    check(requestId != null && !requestId.isBlank(), REQUEST_ID, "a non-empty string", requestId);
  }

  private static void checkLatency(Double latencyMs) {
    check(
        latencyMs == null || (Double.isFinite(latencyMs) && latencyMs >= 0),
        LATENCY_MS,
        "a number of milliseconds, 0 or more",
        latencyMs);
  }

  /** Refuses a field's value with the message a reader reports for a malformed line. */
  private static void check(boolean ok, String field, String expected, Object got) {
    if (!ok) {
      throw new IllegalArgumentException(LineCodec.mustBe(field, expected) + " (got " + got + ")");
    }
  }
}
