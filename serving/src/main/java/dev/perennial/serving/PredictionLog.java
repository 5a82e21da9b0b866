package dev.perennial.serving;

import dev.perennial.core.logs.ServingLogRecord;
import dev.perennial.core.logs.ServingLogs;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.workflows.RequestProblems;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Served predictions and feedback labels ({@link ServingLogRecord}s), on their way to S3 as gzip
 * JSON lines partitioned by model and day ({@code
 * <kind>/<model>/dt=YYYY-MM-DD/<server>-<segment>.jsonl.gz}): the record of what each version saw
 * and said, for rollout analysis and drift.
 *
 * <p>Requests only enqueue (a bounded queue: memory stays flat; a full queue makes requests wait
 * rather than drop a record). A writer appends to segment files in a local spool directory; every
 * flush interval it closes them and uploads every closed segment, deleting each only once S3 has
 * it. While S3 is down segments wait on disk, and later flushes upload them: nothing is lost, and a
 * segment uploaded twice lands on the same key.
 */
final class PredictionLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PredictionLog.class);

  /** The logs a segment can belong to: the first part of its spool path and of its S3 key. */
  private static final List<String> KINDS = List.of(ServingLogs.PREDICTIONS, ServingLogs.FEEDBACK);

  private final ObjectStore store;
  private final String bucket;
  private final Path spool;
  private final String server;
  private final BlockingQueue<ServingLogRecord> queue;
  private final Thread writer;
  private final long flushMillis;
  private final Map<Path, OutputStream> open = new HashMap<>();
  private volatile boolean running = true;
  private long segment;

  PredictionLog(
      ObjectStore store, String bucket, Path spool, String server, int capacity, long flushMillis) {
    this.store = store;
    this.bucket = bucket;
    this.spool = spool;
    this.server = server;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.flushMillis = flushMillis;
    try {
      Files.createDirectories(spool);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the prediction spool " + spool, e);
    }
    this.segment = System.currentTimeMillis();
    this.writer = new Thread(this::run, "perennial-prediction-log");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Enqueues a record; waits while the queue is full instead of dropping it.
   *
   * @throws IllegalArgumentException for a model name the registry would refuse: it would spool
   *     outside the kind/model tree and never reach S3
   */
  void record(ServingLogRecord entry) {
    new RequestProblems().name("model", entry.model()).refuseIfAny("prediction log entry");
    try {
      queue.put(entry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while logging a prediction", e);
    }
  }

  /** Segments on disk not yet in S3. */
  long pendingSegments() {
    try (Stream<Path> files = Files.walk(spool)) {
      return files.filter(p -> p.toString().endsWith(".jsonl")).count();
    } catch (IOException e) {
      return -1;
    }
  }

  private void run() {
    long nextFlush = System.currentTimeMillis() + flushMillis;
    while (running || !queue.isEmpty()) {
      try {
        ServingLogRecord entry =
            queue.poll(Math.max(1, nextFlush - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        if (entry != null) {
          append(entry);
        }
        if (System.currentTimeMillis() >= nextFlush) {
          flush();
          nextFlush = System.currentTimeMillis() + flushMillis;
        }
      } catch (InterruptedException e) {
        running = false;
      } catch (RuntimeException | IOException e) {
        log.warn("prediction log: {}", e.toString());
      }
    }
  }

  private void append(ServingLogRecord entry) throws IOException {
    String day = entry.time().atZone(ZoneOffset.UTC).toLocalDate().toString();
    Path file =
        spool
            .resolve(entry.kind())
            .resolve(entry.model())
            .resolve(day)
            .resolve(server + "-" + segment + ".jsonl");
    OutputStream out = open.get(file);
    if (out == null) {
      Files.createDirectories(file.getParent());
      out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      open.put(file, out);
    }
    out.write(entry.toLine());
    out.write('\n');
  }

  /**
   * Closes the open segments and uploads every closed one that S3 does not have yet. A segment that
   * fails stays for the next flush and holds back no other; one whose place in the spool names no
   * S3 key (not {@code <kind>/<model>/<day>/}) never will upload, so it is set aside, renamed
   * {@code .unshippable}, for a person to look at.
   *
   * @return how many segments stay spooled
   */
  private int flush() throws IOException {
    for (OutputStream out : open.values()) {
      out.close();
    }
    open.clear();
    segment++;
    List<Path> closed = new ArrayList<>();
    try (Stream<Path> files = Files.walk(spool)) {
      files.filter(p -> p.toString().endsWith(".jsonl")).forEach(closed::add);
    }
    List<String> stuck = new ArrayList<>();
    for (Path file : closed) {
      Path relative = spool.relativize(file);
      String key = key(relative);
      try {
        if (key == null) {
          Path aside = file.resolveSibling(file.getFileName() + ".unshippable");
          Files.move(file, aside);
          log.warn(
              "prediction log: {} is not under <kind>/<model>/<day>/, set aside as {}",
              relative,
              spool.relativize(aside));
          continue;
        }
        upload(file, key);
        Files.delete(file);
      } catch (RuntimeException | IOException e) {
        // S3 is down or refusing: the segment stays on disk for the next flush; the others go on.
        stuck.add(relative + " (" + e + ")");
      }
    }
    if (!stuck.isEmpty()) {
      log.warn(
          "prediction log: {} of {} segments stay spooled for the next flush: {}{}",
          stuck.size(),
          closed.size(),
          String.join(", ", stuck.subList(0, Math.min(3, stuck.size()))),
          stuck.size() > 3 ? ", ..." : "");
    }
    return stuck.size();
  }

  /**
   * {@code <kind>/<model>/<day>/<name>.jsonl -> <kind>/<model>/dt=<day>/<name>.jsonl.gz}, or null
   * for a file not in that place.
   */
  private static String key(Path relative) {
    if (relative.getNameCount() != 4) {
      return null;
    }
    String kind = relative.getName(0).toString();
    String model = relative.getName(1).toString();
    String day = relative.getName(2).toString();
    boolean known =
        KINDS.contains(kind)
            && new RequestProblems().name("model", model).isoDate("day", day).list().isEmpty();
    return known ? kind + "/" + model + "/dt=" + day + "/" + relative.getFileName() + ".gz" : null;
  }

  private void upload(Path file, String key) throws IOException {
    Path gz = Files.createTempFile("perennial-log-", ".jsonl.gz");
    try {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
        Files.copy(file, out);
      }
      store.putFile(bucket, key, gz, "application/gzip");
    } finally {
      Files.deleteIfExists(gz);
    }
  }

  /** Stops accepting, writes what is queued and tries a last upload. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    writer.join(10_000);
    try {
      flush();
    } catch (IOException e) {
      log.warn("prediction log: last flush failed, segments stay in {}: {}", spool, e.toString());
    }
  }
}
