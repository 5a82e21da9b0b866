package dev.perennial.serving;

import dev.perennial.core.model.BinaryMetrics;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Online quality per model version as metrics, from the feedback labels this server receives. It
 * remembers its most recent predictions (at most {@code capacity} rows, oldest forgotten first, so
 * memory stays bounded) and, when a label names one of them, records for the version that made it:
 *
 * <ul>
 *   <li>{@code perennial.serving.online.logloss}: the row's log loss; its mean is the online log
 *       loss, its count the labelled rows;
 *   <li>{@code perennial.serving.online.correct}: 1 when the 0.5-threshold label was right, else 0;
 *       its mean is the online accuracy.
 * </ul>
 *
 * A label for a prediction this server no longer remembers, or never made (another replica made
 * it), counts in {@code perennial.serving.feedback{outcome="unmatched"}}. The prediction and
 * feedback logs in S3 stay the complete record, which canary analysis reads.
 */
final class OnlineQuality {
  private record Key(String model, String requestId, int row) {}

  private record Scored(int version, double probability) {}

  private final MeterRegistry meters;
  private final Map<Key, Scored> recent;

  OnlineQuality(MeterRegistry meters, int capacity) {
    this.meters = meters;
    this.recent =
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Scored> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Remembers a scored row until its label comes or it is among the oldest. */
  void scored(String model, String requestId, int row, int version, double probability) {
    synchronized (recent) {
      recent.put(new Key(model, requestId, row), new Scored(version, probability));
    }
  }

  /** Records a label against the version that scored the row, once. */
  void labelled(String model, String requestId, int row, int label) {
    Scored scored;
    synchronized (recent) {
      scored = recent.remove(new Key(model, requestId, row));
    }
    if (scored == null) {
      meters
          .counter("perennial.serving.feedback", "model", model, "outcome", "unmatched")
          .increment();
      return;
    }
    String version = Integer.toString(scored.version());
    meters
        .counter(
            "perennial.serving.feedback", "model", model, "version", version, "outcome", "matched")
        .increment();
    DistributionSummary.builder("perennial.serving.online.logloss")
        .description("Log loss of each labelled prediction; the mean is the online log loss")
        .tags("model", model, "version", version)
        .register(meters)
        .record(BinaryMetrics.rowLogLoss(label, scored.probability()));
    DistributionSummary.builder("perennial.serving.online.correct")
        .description("1 for a labelled prediction that was right at 0.5, else 0: mean is accuracy")
        .tags("model", model, "version", version)
        .register(meters)
        .record((scored.probability() >= 0.5) == (label == 1) ? 1 : 0);
  }
}
