package dev.perennial.core.logs;

import dev.perennial.core.logs.ServingLogRecord.Feedback;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Served rows joined with the feedback labels that name them, for online quality: a row is its
 * request id and its index in the request; feedback without a row labels row 0. The rules every
 * analysis judges by:
 *
 * <ul>
 *   <li>a row logged twice (never expected: a re-upload lands on the same key) counts once, as
 *       first read;
 *   <li>the latest label wins, by its time; on equal times the one read later (a later duplicate);
 *   <li>a label for a row not kept is dropped;
 *   <li>{@link #joined()} lists rows in key order, so floating-point sums over them are the same on
 *       every retry, whatever order the objects were read in.
 * </ul>
 *
 * A join made with {@link #sampled} keeps at most that many rows: the bottom-k by a well-mixed hash
 * of the key, a sample that does not depend on reading order.
 */
public final class LabelJoin {
  private final int maxRows;
  private final Map<RowKey, Row> rows = new HashMap<>();

  /** The sampled rows, largest hash first: the one to drop when a smaller one comes. */
  private final PriorityQueue<RowKey> sample;

  private LabelJoin(int maxRows, boolean sampled) {
    this.maxRows = maxRows;
    this.sample = sampled ? new PriorityQueue<>(RowKey.SAMPLE_ORDER.reversed()) : null;
  }

  /** Keeps every row scored. */
  public static LabelJoin unbounded() {
    return new LabelJoin(Integer.MAX_VALUE, false);
  }

  /** Keeps at most {@code maxRows} rows, a sample independent of reading order. */
  public static LabelJoin sampled(int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows: must be 1 or more (got " + maxRows + ")");
    }
    return new LabelJoin(maxRows, true);
  }

  /** Adds a scored row, unless it is already kept (or, sampling, falls outside the sample). */
  public void scored(Prediction prediction) {
    RowKey key = new RowKey(prediction.requestId(), prediction.row());
    if (rows.containsKey(key)) {
      return;
    }
    if (sample != null) {
      if (sample.size() >= maxRows) {
        if (RowKey.SAMPLE_ORDER.compare(key, sample.peek()) >= 0) {
          return;
        }
        rows.remove(sample.poll());
      }
      sample.add(key);
    }
    rows.put(key, new Row(prediction.probability()));
  }

  /** Labels the row {@code feedback} names if it is kept; says whether it was. */
  public boolean label(Feedback feedback) {
    Row row = rows.get(new RowKey(feedback.requestId(), feedback.labelledRow()));
    if (row == null) {
      return false;
    }
    if (row.labelledAt == null || !feedback.time().isBefore(row.labelledAt)) {
      row.label = feedback.label();
      row.labelledAt = feedback.time();
    }
    return true;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The probability a kept row was scored with, NaN for a row not kept. */
  public double probability(String requestId, int row) {
    Row kept = rows.get(new RowKey(requestId, row));
    return kept == null ? Double.NaN : kept.probability;
  }

  /** What {@link #forEach} hands over for each row. */
  @FunctionalInterface
  public interface RowVisitor {
    /**
     * @param label the row's label, or -1 while it has none
     */
    void visit(String requestId, int row, double probability, int label);
  }

  /** Visits every kept row in key order, so sums over them are the same on every retry. */
  public void forEach(RowVisitor visitor) {
    List<Map.Entry<RowKey, Row>> ordered = new ArrayList<>(rows.entrySet());
    ordered.sort(Map.Entry.comparingByKey(RowKey.ORDER));
    for (Map.Entry<RowKey, Row> e : ordered) {
      visitor.visit(
          e.getKey().requestId(), e.getKey().row(), e.getValue().probability, e.getValue().label);
    }
  }

  /** The rows kept and their labels so far, in key order. */
  public Joined joined() {
    List<Map.Entry<RowKey, Row>> ordered = new ArrayList<>(rows.entrySet());
    ordered.sort(Map.Entry.comparingByKey(RowKey.ORDER));
    double probabilitySum = 0;
    int labelled = 0;
    for (Map.Entry<RowKey, Row> e : ordered) {
      probabilitySum += e.getValue().probability;
      if (e.getValue().label >= 0) {
        labelled++;
      }
    }
    int[] labels = new int[labelled];
    double[] probabilities = new double[labelled];
    int i = 0;
    for (Map.Entry<RowKey, Row> e : ordered) {
      Row row = e.getValue();
      if (row.label >= 0) {
        labels[i] = row.label;
        probabilities[i] = row.probability;
        i++;
      }
    }
    return new Joined(
        ordered.size(),
        ordered.isEmpty() ? Double.NaN : probabilitySum / ordered.size(),
        labels,
        probabilities);
  }

  /**
   * What the join holds.
   *
   * @param rows the rows kept, labelled or not
   * @param meanProbability their mean predicted probability, NaN without rows
   * @param labels the labelled rows' labels, in key order
   * @param probabilities the labelled rows' probabilities, in the same order
   */
  public record Joined(int rows, double meanProbability, int[] labels, double[] probabilities) {}

  /** A served row: its request and its index there. */
  private record RowKey(String requestId, int row) {
    static final Comparator<RowKey> ORDER =
        Comparator.comparing(RowKey::requestId).thenComparingInt(RowKey::row);

    /** By a well-mixed hash, ties by the key itself: a total order that sampling can rely on. */
    static final Comparator<RowKey> SAMPLE_ORDER =
        Comparator.comparingLong(RowKey::mixed).thenComparing(ORDER);

    /** A 64-bit finalizer (SplitMix64's) over the id's and row's hashes, which Java fixes. */
    long mixed() {
      long z = ((long) requestId.hashCode() << 32) ^ (row * 0x9E3779B9L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  private static final class Row {
    final double probability;
    int label = -1;
    Instant labelledAt;

    Row(double probability) {
      this.probability = probability;
    }
  }
}
