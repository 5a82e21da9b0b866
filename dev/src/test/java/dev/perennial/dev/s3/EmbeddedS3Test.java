package dev.perennial.dev.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.store.MinioObjectStore;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.store.S3Settings;
import dev.perennial.dev.testing.Race;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedS3Test {

  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  @Test
  void concurrentReplaceIfFromOneEtagHasExactlyOneWinner() throws Exception {
    ObjectStore store = S3.store();
    String bucket = S3.freshBucket();
    store.put(bucket, "doc", "base".getBytes(UTF_8), "text/plain");
    for (int round = 0; round < 5; round++) {
      String etag = store.read(bucket, "doc").orElseThrow().etag();
      int r = round;
      List<Boolean> outcomes =
          Race.run(
              8,
              writer ->
                  store.replaceIf(
                      bucket, "doc", (r + "-" + writer).getBytes(UTF_8), "text/plain", etag));

      assertThat(outcomes).as("round %d", round).containsOnlyOnce(true);
    }
  }

  @Test
  void freshBucketsAreDistinctAndEmpty() {
    String first = S3.freshBucket();
    S3.store().put(first, "k", new byte[] {1}, null);
    String second = S3.freshBucket();

    assertThat(second).isNotEqualTo(first);
    assertThat(S3.store().list(second, "")).isEmpty();
  }

  @Test
  void requiresTheRandomCredentials() throws Exception {
    S3Settings anonymous = new S3Settings(S3.endpoint(), "guest", "guest-secret", "us-east-1");
    try (MinioObjectStore guest = ObjectStores.client(anonymous)) {
      assertThatThrownBy(() -> guest.ensureBucket("intruders"))
          .isInstanceOf(ObjectStore.ObjectStoreException.class);
    }
    assertThat(S3.settings().accessKey()).hasSize(20).isNotEqualTo("guest");
  }

  @Test
  void startsAndStopsStandalone() {
    String endpoint;
    try (EmbeddedS3 own = new EmbeddedS3().start()) {
      endpoint = own.endpoint();
      assertThat(endpoint).startsWith("http://127.0.0.1:").isNotEqualTo(S3.endpoint());
      own.store().ensureBucket("solo");
      assertThat(own.store().list("solo", "")).isEmpty();
    }
    assertThatThrownBy(() -> new EmbeddedS3().endpoint())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not running");
  }
}
