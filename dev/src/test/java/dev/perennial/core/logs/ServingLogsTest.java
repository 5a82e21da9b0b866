package dev.perennial.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.dev.s3.EmbeddedS3;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServingLogsTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private final ObjectStore store = S3.store();

  @Test
  void objectsUploadedBeforeAWindowBeganAreNotRead() {
    String bucket = S3.freshBucket();
    LocalDate day = LocalDate.of(2026, 3, 2);
    byte[] none = "".getBytes(StandardCharsets.UTF_8);
    store.put(bucket, "predictions/m/dt=2026-03-02/a-1.jsonl.gz", none, "application/gzip");
    store.put(bucket, "predictions/m/dt=2026-03-02/a-2.jsonl.gz", none, "application/gzip");
    store.put(bucket, "predictions/m/dt=2026-03-02/notes.txt", none, "text/plain");
    ServingLogs logs = new ServingLogs(store, bucket);
    Instant uploaded = Instant.now();

    assertThat(logs.objects(ServingLogs.PREDICTIONS, "m", day))
        .extracting(ObjectInfo::key)
        .containsExactly(
            "predictions/m/dt=2026-03-02/a-1.jsonl.gz", "predictions/m/dt=2026-03-02/a-2.jsonl.gz");
    // A window that began before the uploads (or within the allowed clock skew after) reads them.
    assertThat(logs.objects(ServingLogs.PREDICTIONS, "m", day, uploaded.minusSeconds(3_600)))
        .hasSize(2);
    assertThat(
            logs.objects(
                ServingLogs.PREDICTIONS,
                "m",
                day,
                uploaded.plus(ServingLogs.CLOCK_SKEW).minusSeconds(30)))
        .hasSize(2);
    // One that began later cannot find any of its lines in them: every line is older.
    assertThat(
            logs.objects(
                ServingLogs.PREDICTIONS,
                "m",
                day,
                uploaded.plus(ServingLogs.CLOCK_SKEW).plusSeconds(30)))
        .isEmpty();
  }
}
