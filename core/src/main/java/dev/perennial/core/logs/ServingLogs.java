package dev.perennial.core.logs;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.NoSuchObjectException;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.core.store.ObjectStore.ObjectStoreException;
import dev.perennial.workflows.RequestProblems;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logs the model servers upload to the artifact bucket ({@code
 * predictions/<model>/dt=YYYY-MM-DD/*.jsonl.gz} and {@code feedback/<model>/dt=...}), read object
 * by object and line by line into {@link ServingLogRecord}s, for the analyses that judge served
 * traffic (canary, drift).
 *
 * <p>Failure policy: a malformed line (see {@link ServingLogRecord} for what is), or an object that
 * is not valid gzip, is skipped, counted and logged with the object and line number, because one
 * corrupt line must not hold a rollout or a monitor hostage (and a retry would read the same
 * bytes). A missing bucket or any S3 failure throws, for Temporal to retry.
 */
public final class ServingLogs {
  private static final Logger log = LoggerFactory.getLogger(ServingLogs.class);

  /** Longest line read; a real line is a few KB (its features), so longer means garbage. */
  public static final int MAX_LINE_BYTES = 1 << 20;

  /** Served predictions and failed requests. */
  public static final String PREDICTIONS = "predictions";

  /** Feedback labels. */
  public static final String FEEDBACK = "feedback";

  private static final String LOG_SUFFIX = ".jsonl.gz";

  private final ObjectStore store;
  private final String bucket;

  public ServingLogs(ObjectStore store, String bucket) {
    this.store = store;
    this.bucket = bucket;
  }

  /**
   * How far the store's clock may be behind the model servers' clocks. An object is uploaded after
   * every line in it was written, so one last written before {@code from} minus this holds no line
   * of a window that starts at {@code from}.
   */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** The log objects of {@code kind} for {@code model} on {@code day}. */
  public List<ObjectInfo> objects(String kind, String model, LocalDate day) {
    String prefix = kind + "/" + model + "/dt=" + day + "/";
    return store.list(bucket, prefix).stream().filter(o -> o.key().endsWith(LOG_SUFFIX)).toList();
  }

  /**
   * The log objects of {@code kind} for {@code model} on {@code day} that can hold a line logged at
   * or after {@code from}: the others were uploaded before it (less {@link #CLOCK_SKEW}), so every
   * line in them is older. A short window late in the day then reads minutes of logs, not the day.
   * Objects whose store did not give a time are kept.
   */
  public List<ObjectInfo> objects(String kind, String model, LocalDate day, Instant from) {
    Instant uploadedSince = from.minus(CLOCK_SKEW);
    return objects(kind, model, day).stream()
        .filter(o -> o.lastModified() == null || !o.lastModified().isBefore(uploadedSince))
        .toList();
  }

  /**
   * A window of served traffic, checked: the model name and both bounds, {@code from} before {@code
   * to}. Problems go to {@code problems}, each naming its field; a bound that is not an instant is
   * null here.
   */
  public record Window(String model, Instant from, Instant to) {
    public static Window check(RequestProblems problems, String model, String from, String to) {
      Instant start = instant(from);
      Instant end = instant(to);
      problems
          .name("model", model)
          .require(start != null, "from", mustBeInstant(from))
          .require(end != null, "to", mustBeInstant(to))
          .require(
              start == null || end == null || start.isBefore(end),
              "to",
              "must be later than from (got from " + start + ", to " + end + ")");
      return new Window(model, start, end);
    }
  }

  /** A window bound: the instant {@code text} names, or null when it names none. */
  public static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** What is wrong with a window bound that {@link #instant} could not read. */
  public static String mustBeInstant(String got) {
    return "must be an ISO-8601 instant like 2026-03-01T10:00:00Z (got "
        + (got == null ? "nothing" : "'" + got + "'")
        + ")";
  }

  /** The UTC day an instant's entries are partitioned under. */
  private static LocalDate day(Instant instant) {
    return instant.atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** What one line is read as; throws when the line cannot be used. */
  @FunctionalInterface
  private interface LineHandler {
    /**
     * @param bytes the line's UTF-8 bytes, valid up to {@code length}; reused for the next line
     * @param length the line's length
     */
    void accept(byte[] bytes, int length) throws MalformedLine;
  }

  /** Starts a pass over some objects; {@code progress} hears the count after each object. */
  public Pass pass(LongConsumer progress) {
    return new Pass(progress);
  }

  /** One scan's counters: what was read and what had to be skipped. */
  public final class Pass {
    private final LongConsumer progress;
    private long objectsRead;
    private long malformedLines;
    private long unreadableObjects;

    private Pass(LongConsumer progress) {
      this.progress = progress;
    }

    public long objectsRead() {
      return objectsRead;
    }

    /** Lines that could not be used (not JSON, a field missing or garbled, too long). */
    public long malformedLines() {
      return malformedLines;
    }

    /**
     * Objects that are not valid gzip (or stop short); lines read from them before the damage
     * count.
     */
    public long unreadableObjects() {
      return unreadableObjects;
    }

    /**
     * Hands {@code handler} the predictions and failures of {@code model} logged in {@code [from,
     * to)}, read from every prediction-log object that can hold one; each line read is checked as
     * {@link ServingLogRecord} says, in the window or not. Days are partitioned by each entry's own
     * time and {@code to} is exclusive: the last day read is that of the instant just before {@code
     * to} (a window ending at midnight does not read the next day).
     *
     * @param features where each prediction's features go before the handler sees it, or null to
     *     skip them
     */
    public void readPredictions(
        String model,
        Instant from,
        Instant to,
        FeatureSink features,
        Consumer<ServingLogRecord.Served> handler) {
      LineCodec.Parser parser = new LineCodec.Parser(model, features);
      readDays(
          PREDICTIONS,
          model,
          day(from),
          day(to.minusNanos(1)),
          from,
          (bytes, length) -> {
            ServingLogRecord.Served served = parser.served(bytes, length);
            if (!served.time().isBefore(from) && served.time().isBefore(to)) {
              handler.accept(served);
            }
          });
    }

    /**
     * Hands {@code handler} every feedback label of {@code model} that can name a prediction logged
     * in {@code [from, to)}: labels arrive after the prediction, possibly days after, so the days
     * up to {@code today} are read, and every label in them is handed on.
     */
    public void readFeedback(
        String model,
        Instant from,
        Instant to,
        LocalDate today,
        Consumer<ServingLogRecord.Feedback> handler) {
      LocalDate lastPredictionDay = day(to.minusNanos(1));
      LocalDate last = today.isAfter(lastPredictionDay) ? today : lastPredictionDay;
      LineCodec.Parser parser = new LineCodec.Parser(model, null);
      readDays(
          FEEDBACK,
          model,
          day(from),
          last,
          from,
          (bytes, length) -> handler.accept(parser.feedback(bytes, length)));
    }

    private void readDays(
        String kind,
        String model,
        LocalDate first,
        LocalDate last,
        Instant from,
        LineHandler handler) {
      for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
        for (ObjectInfo object : objects(kind, model, day, from)) {
          read(object, handler);
        }
      }
    }

    /** Streams one object through {@code handler}, line by line; blank lines are skipped. */
    private void read(ObjectInfo object, LineHandler handler) {
      String where = "s3://" + bucket + "/" + object.key();
      long lineNumber = 0;
      long malformedHere = 0;
      CountingInputStream raw = null;
      try (InputStream opened = store.open(bucket, object.key())) {
        raw = new CountingInputStream(opened);
        LineReader lines = new LineReader(new GZIPInputStream(raw, 64 * 1024), MAX_LINE_BYTES);
        while (lines.next()) {
          lineNumber++;
          if (lines.blank()) {
            continue;
          }
          try {
            if (lines.oversized()) {
              throw new MalformedLine("longer than " + MAX_LINE_BYTES + " bytes");
            }
            handler.accept(lines.bytes(), lines.length());
          } catch (MalformedLine e) {
            malformedLines++;
            // One warning per object: a garbled object must not flood the log.
            if (malformedHere++ == 0) {
              log.warn("{} line {}: skipped, {}", where, lineNumber, e.getMessage());
            }
          }
        }
      } catch (NoSuchObjectException e) {
        // Listed a moment ago: something is deleting logs. A retry lists again.
        throw new ObjectStoreException("log object vanished while reading: " + where, e);
      } catch (ZipException e) {
        unreadable(where, lineNumber, e);
      } catch (EOFException e) {
        // Every byte the store has arrived and the gzip still stops short: the object is
        // truncated, and will be on a retry too. Fewer bytes means the download broke: retry.
        if (raw != null && raw.count >= object.size()) {
          unreadable(where, lineNumber, e);
        } else {
          throw new ObjectStoreException("cannot read " + where + ": " + e, e);
        }
      } catch (IOException e) {
        throw new ObjectStoreException("cannot read " + where + ": " + e, e);
      }
      if (malformedHere > 1) {
        log.warn("{}: {} malformed lines skipped in all", where, malformedHere);
      }
      objectsRead++;
      progress.accept(objectsRead);
    }

    private void unreadable(String where, long linesRead, IOException e) {
      unreadableObjects++;
      log.warn(
          "{}: not valid gzip after {} lines, rest skipped: {}", where, linesRead, e.toString());
    }
  }

  /**
   * Counts the compressed bytes that arrived, to tell a truncated object from a broken download.
   */
  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
