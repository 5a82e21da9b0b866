package dev.perennial.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.store.ObjectStore.NoSuchObjectException;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.core.store.ObjectStore.ObjectStoreException;
import dev.perennial.core.store.ObjectStore.StoredObject;
import dev.perennial.core.store.ObjectStore.Versioned;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.dev.testing.Race;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class MinioObjectStoreTest {

  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private final MinioObjectStore store = S3.minioStore();

  @Test
  void putThenReadReturnsTheBytesWithEtagAndSha256() throws Exception {
    String bucket = S3.freshBucket();
    byte[] bytes = "hello, registry".getBytes(UTF_8);
    java.time.Instant before = java.time.Instant.now();

    StoredObject stored = store.put(bucket, "a/b.txt", bytes, "text/plain");

    assertThat(stored.size()).isEqualTo(bytes.length);
    assertThat(stored.sha256()).isEqualTo(sha256(bytes));
    assertThat(stored.etag()).isNotBlank().doesNotContain("\"");
    Versioned read = store.read(bucket, "a/b.txt").orElseThrow();
    assertThat(read.bytes()).isEqualTo(bytes);
    assertThat(read.etag()).isEqualTo(stored.etag());
    assertThat(store.stat(bucket, "a/b.txt"))
        .hasValueSatisfying(
            o -> {
              assertThat(o.key()).isEqualTo("a/b.txt");
              assertThat(o.size()).isEqualTo(bytes.length);
              assertThat(o.etag()).isEqualTo(stored.etag());
              // S3 keeps whole seconds.
              assertThat(o.lastModified())
                  .isBetween(before.minusSeconds(2), java.time.Instant.now().plusSeconds(2));
            });
  }

  @Test
  void missingObjectsAreEmptyOrNoSuchObject() {
    String bucket = S3.freshBucket();

    assertThat(store.read(bucket, "nope")).isEmpty();
    assertThat(store.stat(bucket, "nope")).isEmpty();
    assertThatThrownBy(() -> store.open(bucket, "nope"))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining("s3://" + bucket + "/nope");
  }

  @Test
  void openStreamsTheObject() throws Exception {
    String bucket = S3.freshBucket();
    byte[] bytes = randomBytes(100_000, 7);
    store.put(bucket, "blob", bytes, null);

    try (InputStream in = store.open(bucket, "blob")) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void listIsRecursiveSortedAndLimitedToThePrefix() {
    String bucket = S3.freshBucket();
    for (String key : List.of("m/b/2", "m/a", "m/b/1", "other/x", "m/c/deep/er")) {
      store.put(bucket, key, key.getBytes(UTF_8), "text/plain");
    }

    assertThat(store.list(bucket, "m/"))
        .extracting(ObjectInfo::key)
        .containsExactly("m/a", "m/b/1", "m/b/2", "m/c/deep/er");
    assertThat(store.list(bucket, "m/b/")).extracting(ObjectInfo::size).containsExactly(5L, 5L);
    assertThat(store.list(bucket, "m/")).extracting(ObjectInfo::lastModified).doesNotContainNull();
    assertThat(store.list(bucket, "none/")).isEmpty();
  }

  @Test
  void putFileUploadsInPartsAndHashesWhatItSent(@TempDir Path dir) throws Exception {
    String bucket = S3.freshBucket();
    // Just over one part, so the upload is multipart with a short last part.
    byte[] bytes = randomBytes((int) MinioObjectStore.PART_SIZE + 3 * 1024 * 1024 + 17, 42);
    Path file = Files.write(dir.resolve("model.bin"), bytes);

    StoredObject stored = store.putFile(bucket, "models/m/bundle.bin", file, null);

    assertThat(stored.size()).isEqualTo(bytes.length);
    assertThat(stored.sha256()).isEqualTo(sha256(bytes));
    // A multipart ETag is "<md5 of part md5s>-<parts>".
    assertThat(stored.etag()).endsWith("-2");
    try (InputStream in = store.open(bucket, "models/m/bundle.bin")) {
      assertThat(sha256(in.readAllBytes())).isEqualTo(stored.sha256());
    }
  }

  @Test
  void putFileOfAFewMegabytesIsOneRequest(@TempDir Path dir) throws Exception {
    String bucket = S3.freshBucket();
    byte[] bytes = randomBytes(3 * 1024 * 1024, 3);
    Path file = Files.write(dir.resolve("data.csv"), bytes);

    StoredObject stored = store.putFile(bucket, "data.csv", file, "text/csv");

    assertThat(stored.sha256()).isEqualTo(sha256(bytes));
    assertThat(stored.etag()).doesNotContain("-");
    assertThat(store.read(bucket, "data.csv").orElseThrow().bytes()).isEqualTo(bytes);
  }

  @Test
  void putIfAbsentWritesOnlyTheFirstTime() {
    String bucket = S3.freshBucket();

    assertThat(store.putIfAbsent(bucket, "k", bytes("first"), "text/plain")).isTrue();
    assertThat(store.putIfAbsent(bucket, "k", bytes("second"), "text/plain")).isFalse();

    assertThat(store.read(bucket, "k").orElseThrow().bytes()).isEqualTo(bytes("first"));
  }

  @Test
  void replaceIfSwapsOnlyAtTheExpectedEtag() {
    String bucket = S3.freshBucket();
    assertThat(store.replaceIf(bucket, "doc", bytes("v1"), "text/plain", null)).isTrue();
    assertThat(store.replaceIf(bucket, "doc", bytes("again"), "text/plain", null)).isFalse();
    String v1 = store.read(bucket, "doc").orElseThrow().etag();

    assertThat(store.replaceIf(bucket, "doc", bytes("v2"), "text/plain", v1)).isTrue();
    assertThat(store.replaceIf(bucket, "doc", bytes("stale"), "text/plain", v1)).isFalse();

    assertThat(store.read(bucket, "doc").orElseThrow().bytes()).isEqualTo(bytes("v2"));
  }

  @Test
  void replaceIfOnAMissingObjectWithAnEtagLoses() {
    String bucket = S3.freshBucket();

    assertThat(store.replaceIf(bucket, "ghost", bytes("x"), "text/plain", "0123abcd")).isFalse();
    assertThat(store.stat(bucket, "ghost")).isEmpty();
  }

  /**
   * S3Proxy makes If-None-Match atomic by itself, so this holds for the bare client. (Its If-Match
   * is not atomic; {@code EmbeddedS3Test} covers concurrent replaceIf through the fixture.)
   */
  @Test
  void concurrentPutIfAbsentHasExactlyOneWinner() throws Exception {
    String bucket = S3.freshBucket();
    for (int round = 0; round < 5; round++) {
      String key = "slot-" + round;
      List<Boolean> outcomes =
          Race.run(8, writer -> store.putIfAbsent(bucket, key, bytes("w" + writer), "text/plain"));

      assertThat(outcomes).as("round %d", round).containsOnlyOnce(true);
    }
  }

  @Test
  void failuresOtherThanMissingObjectsAreObjectStoreExceptions() throws Exception {
    assertThatThrownBy(() -> store.read("no-such-bucket", "k"))
        .isInstanceOf(ObjectStoreException.class)
        .hasMessageContaining("NoSuchBucket");

    S3Settings wrongSecret =
        new S3Settings(S3.endpoint(), S3.settings().accessKey(), "not-the-secret", "us-east-1");
    String bucket = S3.freshBucket();
    try (MinioObjectStore intruder = new MinioObjectStore(wrongSecret)) {
      assertThatThrownBy(() -> intruder.list(bucket, ""))
          .isInstanceOf(ObjectStoreException.class)
          .hasMessageContaining("SignatureDoesNotMatch");
    }
  }

  @Test
  void settingsNeverPrintTheSecret() {
    S3Settings settings = new S3Settings("http://s3", "AKIA", "very-secret", "eu-west-1");

    assertThat(settings.toString()).contains("AKIA").doesNotContain("very-secret");
  }

  @Test
  void aPresignedLinkOpensTheObjectWithoutCredentials() throws Exception {
    String bucket = S3.freshBucket();
    byte[] html = "<html><body>drift</body></html>".getBytes(UTF_8);
    store.put(bucket, "drift/m/report.html", html, "text/html");

    String link = store.presignedGet(bucket, "drift/m/report.html", Duration.ofMinutes(5));

    assertThat(link).startsWith(S3.settings().endpoint()).contains("X-Amz-Signature=");
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(link)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo(html);
      HttpResponse<Void> unsigned =
          http.send(
              HttpRequest.newBuilder(URI.create(link.substring(0, link.indexOf('?')))).build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(unsigned.statusCode()).as("the bucket itself is private").isEqualTo(403);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
