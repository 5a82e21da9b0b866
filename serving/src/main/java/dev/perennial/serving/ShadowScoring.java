package dev.perennial.serving;

import dev.perennial.core.logs.ServingLogRecord.Failure;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores requests with a model's shadow after the champion has answered them, on threads of its
 * own: the client never waits for the shadow, never sees its answer, and a shadow that fails or is
 * slow costs it nothing. Each row the shadow scores is logged as a {@link Prediction} flagged
 * {@code shadow} (without features: the champion's line of the same request carries them), a
 * request it fails as a {@link Failure} flagged the same, so canary analysis can judge the shadow
 * on the very requests the champion answered.
 *
 * <p>The latency logged for a shadow is the request's validation time, which both versions need,
 * plus the shadow's own scoring: what the request would have taken had the shadow answered it,
 * comparable with the champion's figure. Time spent waiting in the queue is not counted.
 *
 * <p>A full queue leaves the request unshadowed rather than slowing anyone, counted in {@code
 * perennial.serving.shadow.skipped}; the analysis then sees fewer shadowed requests.
 */
final class ShadowScoring implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShadowScoring.class);

  private final PredictionLog predictions;
  private final MeterRegistry meters;
  private final ThreadPoolExecutor executor;

  ShadowScoring(PredictionLog predictions, MeterRegistry meters, int threads, int queueCapacity) {
    if (threads < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException(
          "perennial.serving.shadow-threads and shadow-queue-capacity must be 1 or more (got "
              + threads
              + " and "
              + queueCapacity
              + ")");
    }
    this.predictions = predictions;
    this.meters = meters;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            r -> {
              Thread t = new Thread(r, "perennial-shadow-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Has {@code shadow} score the request's rows later; returns at once.
   *
   * @param rows the rows as validated against the champion's schema
   * @param validationNanos how long validating them took
   */
  void submit(
      ServedModels.Loaded shadow,
      String requestId,
      Instant received,
      List<Map<String, Object>> rows,
      long validationNanos,
      String entityKey) {
    try {
      executor.execute(() -> score(shadow, requestId, received, rows, validationNanos, entityKey));
    } catch (RejectedExecutionException e) {
      meters
          .counter(
              "perennial.serving.shadow.skipped",
              "model",
              shadow.model(),
              "version",
              Integer.toString(shadow.version()))
          .increment();
    }
  }

  private void score(
      ServedModels.Loaded shadow,
      String requestId,
      Instant received,
      List<Map<String, Object>> rows,
      long validationNanos,
      String entityKey) {
    String model = shadow.model();
    String version = Integer.toString(shadow.version());
    long started = System.nanoTime();
    double[] probabilities;
    try {
      probabilities = shadow.score(rows);
    } catch (RuntimeException e) {
      double latencyMs = latency(model, version, validationNanos + System.nanoTime() - started);
      log.debug("{} shadow v{}: request {} failed", model, version, requestId, e);
      count(model, version, "error");
      predictions.record(
          new Failure(
              model,
              received,
              requestId,
              shadow.version(),
              PredictionController.describe(e),
              latencyMs,
              true));
      return;
    }
    double latencyMs = latency(model, version, validationNanos + System.nanoTime() - started);
    for (int i = 0; i < rows.size(); i++) {
      predictions.record(
          new Prediction(
              model,
              received,
              requestId,
              shadow.version(),
              i,
              probabilities[i],
              null,
              latencyMs,
              entityKey,
              true));
    }
    count(model, version, "ok");
  }

  private double latency(String model, String version, long nanos) {
    Timer.builder("perennial.serving.shadow.latency")
        .description("What a shadowed request would have taken with the shadow answering")
        .tags("model", model, "version", version)
        .publishPercentiles(0.5, 0.99)
        .register(meters)
        .record(nanos, TimeUnit.NANOSECONDS);
    return nanos / 1_000_000.0;
  }

  private void count(String model, String version, String outcome) {
    meters
        .counter(
            "perennial.serving.shadow.requests",
            "model",
            model,
            "version",
            version,
            "outcome",
            outcome)
        .increment();
  }

  /** Scores what is queued (up to 10 s), then stops. */
  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }
}
