package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.perennial.core.logs.ServingLogRecord.Feedback;
import dev.perennial.core.logs.ServingLogRecord.Prediction;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.WriteGuardedObjectStore;
import dev.perennial.dev.s3.EmbeddedS3;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

  private static Prediction prediction(String model, int i, Instant time) {
    return new Prediction(model, time, "r" + i, 1, 0, 0.5, Map.of(), null, null);
  }

  private static Prediction prediction(int i, Instant time) {
    return prediction("m", i, time);
  }

  private static void awaitLines(String bucket, String prefix, long expected) {
    await().atMost(Duration.ofSeconds(10)).until(() -> lines(bucket, prefix), n -> n >= expected);
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
      log.record(new Feedback("m", day2, "r1", null, 1));
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
      await()
          .alias("segments wait on disk")
          .atMost(Duration.ofSeconds(10))
          .until(log::pendingSegments, n -> n > 0);
      assertThat(S3.store().list(bucket, "predictions/")).isEmpty();

      s3.down.set(false);
      awaitLines(bucket, "predictions/", 300);
      assertThat(lines(bucket, "predictions/m/dt=2026-03-05/")).isEqualTo(300);
      await().atMost(Duration.ofSeconds(5)).until(log::pendingSegments, n -> n == 0);
    }
  }

  /** S3 that refuses, every time, the first key it is asked to write: one poisoned segment. */
  static final class Poisoned extends WriteGuardedObjectStore {
    final AtomicReference<String> refused = new AtomicReference<>();

    Poisoned(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    protected <T> T guard(String bucket, String key, Supplier<T> write) {
      refused.compareAndSet(null, key);
      if (key.equals(refused.get())) {
        throw new ObjectStore.ObjectStoreException("refused (test): " + key, null);
      }
      return write.get();
    }
  }

  @Test
  void aSegmentThatCannotUploadHoldsBackNoOther(@TempDir Path spool) throws Exception {
    String bucket = S3.freshBucket();
    Poisoned s3 = new Poisoned(S3.store());
    // What a model named ".." used to spool: outside the kind/model tree, no key to upload to.
    Path stray = spool.resolve("2026-03-07").resolve("s0-1.jsonl");
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "{\"requestId\":\"x\",\"label\":1}\n");
    Instant day = Instant.parse("2026-03-07T08:00:00Z");
    try (PredictionLog log = new PredictionLog(s3, bucket, spool, "s1", 16, 100)) {
      for (String model : new String[] {"a", "b", "c", "d"}) {
        for (int i = 0; i < 10; i++) {
          log.record(prediction(model, i, day));
        }
      }
      awaitLines(bucket, "predictions/", 30);
      assertThat(lines(bucket, "predictions/")).as("all but the poisoned segment").isEqualTo(30);
      assertThat(s3.refused.get()).startsWith("predictions/");
      assertThat(log.pendingSegments()).as("the poisoned one waits, still").isEqualTo(1);
    }
    assertThat(stray).doesNotExist();
    assertThat(stray.resolveSibling("s0-1.jsonl.unshippable")).exists();
  }

  @Test
  void anEntryForAModelNameTheRegistryRefusesIsNotSpooled(@TempDir Path spool) throws Exception {
    try (PredictionLog log = new PredictionLog(S3.store(), S3.freshBucket(), spool, "s1", 4, 100)) {
      assertThatThrownBy(() -> log.record(new Feedback("..", Instant.now(), "r1", null, 1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("model: must be");
    }
  }
}
