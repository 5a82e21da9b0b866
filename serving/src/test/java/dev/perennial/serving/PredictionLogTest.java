package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.WriteGuardedObjectStore;
import dev.perennial.dev.s3.EmbeddedS3;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PredictionLogTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  /** S3 that can be switched off: every write fails while it is down. */
  static final class Outage extends WriteGuardedObjectStore {
    final AtomicBoolean down = new AtomicBoolean();

    Outage(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    protected <T> T guard(String bucket, String key, Supplier<T> write) {
      if (down.get()) {
        throw new ObjectStore.ObjectStoreException("S3 is down (test)", null);
      }
      return write.get();
    }
  }

  private static long lines(String bucket, String prefix) throws Exception {
    long n = 0;
    for (var object : S3.store().list(bucket, prefix)) {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(S3.store().open(bucket, object.key())),
                  StandardCharsets.UTF_8))) {
        while (in.readLine() != null) {
          n++;
        }
      }
    }
    return n;
  }

  private static PredictionLog.Entry prediction(int i, Instant time) {
    return new PredictionLog.Entry(
        PredictionLog.Kind.PREDICTIONS,
        "m",
        time,
        Map.of("requestId", "r" + i, "version", 1, "probability", 0.5));
  }

  private static void awaitLines(String bucket, String prefix, long expected) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (lines(bucket, prefix) < expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @Test
  void entriesLandInS3ByKindModelAndDay(@TempDir Path spool) throws Exception {
    String bucket = S3.freshBucket();
    Instant day1 = Instant.parse("2026-03-01T10:00:00Z");
    Instant day2 = Instant.parse("2026-03-02T10:00:00Z");
    try (PredictionLog log = new PredictionLog(S3.store(), bucket, spool, "s1", 64, 100)) {
      for (int i = 0; i < 250; i++) {
        log.record(prediction(i, i < 100 ? day1 : day2));
      }
      log.record(
          new PredictionLog.Entry(
              PredictionLog.Kind.FEEDBACK, "m", day2, Map.of("requestId", "r1", "label", 1)));
      awaitLines(bucket, "predictions/", 250);
    }
    assertThat(lines(bucket, "predictions/m/dt=2026-03-01/")).isEqualTo(100);
    assertThat(lines(bucket, "predictions/m/dt=2026-03-02/")).isEqualTo(150);
    assertThat(lines(bucket, "feedback/m/dt=2026-03-02/")).isEqualTo(1);
  }

  @Test
  void anS3OutageSpoolsToDiskAndLosesNothing(@TempDir Path spool) throws Exception {
    String bucket = S3.freshBucket();
    Outage s3 = new Outage(S3.store());
    Instant day = Instant.parse("2026-03-05T08:00:00Z");
    try (PredictionLog log = new PredictionLog(s3, bucket, spool, "s1", 16, 100)) {
      s3.down.set(true);
      for (int i = 0; i < 300; i++) {
        log.record(prediction(i, day));
      }
      Thread.sleep(500);
      assertThat(log.pendingSegments()).as("segments wait on disk").isPositive();
      assertThat(S3.store().list(bucket, "predictions/")).isEmpty();

      s3.down.set(false);
      awaitLines(bucket, "predictions/", 300);
      assertThat(lines(bucket, "predictions/m/dt=2026-03-05/")).isEqualTo(300);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (log.pendingSegments() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(log.pendingSegments()).isZero();
    }
  }
}
