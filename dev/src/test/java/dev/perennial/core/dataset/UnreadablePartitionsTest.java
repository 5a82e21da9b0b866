package dev.perennial.core.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationReport;
import dev.perennial.workflows.dataset.ValidationRules;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Partitions that cannot be read as data end the run with a message naming the object, instead of
 * being retried forever; a store that fails mid-read is still retried.
 */
class UnreadablePartitionsTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  private static final FeatureSchema TINY =
      new FeatureSchema(
          "tiny",
          "y",
          List.of(
              FeatureSpec.numeric("age", 0, 200, 0.0),
              FeatureSpec.categorical("color", List.of("red", "blue"), null)));

  private static final String GOOD_KEY = "tiny/dt=2026-02-01/part-00000.csv.gz";
  private static final String BAD_KEY = "tiny/dt=2026-02-02/part-00000.csv.gz";

  private final ObjectStore store = S3.store();

  private static byte[] gzip(String text) {
    return gzipRaw(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String rows(int n) {
    var csv = new StringBuilder("id,age,color,y\n");
    for (int i = 0; i < n; i++) {
      csv.append(i).append(',').append(20 + i % 50).append(',').append(i % 2 == 0 ? "red" : "blue");
      csv.append(',').append(i % 3 == 0 ? 1 : 0).append('\n');
    }
    return csv.toString();
  }

  /** A bucket with one good day and {@code bad} as the second day's object. */
  private String dataset(byte[] bad) {
    String bucket = S3.freshBucket();
    store.put(bucket, "tiny/_schema.json", TINY.toJson(), "application/json");
    store.put(bucket, GOOD_KEY, gzip(rows(200)), "application/gzip");
    store.put(bucket, BAD_KEY, bad, "application/gzip");
    return bucket;
  }

  private DatasetSnapshot snapshot(String bucket) {
    return new DatasetSnapshots(store, S3.freshBucket())
        .snapshot(
            new DatasetSpec(bucket, "tiny/", null, null, null, null).withDefaults("tiny"),
            (d, t) -> {});
  }

  private ValidationReport validate(ObjectStore via, DatasetSnapshot snapshot) {
    return new DatasetValidator(store, new SnapshotReader(via), S3.freshBucket())
        .validate(
            new ValidationJob("tiny", snapshot, ValidationRules.defaults(), "run-1"),
            SnapshotReader.Progress.NONE);
  }

  private void refusedNaming(String bucket, String... says) {
    DatasetSnapshot snapshot = snapshot(bucket);
    String uri = "s3://" + bucket + "/" + BAD_KEY;
    assertThatThrownBy(() -> validate(store, snapshot))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(uri)
        .hasMessageContainingAll(says)
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1_000));
    assertThatThrownBy(() -> new SnapshotReader(store).read(snapshot, TINY, day -> true))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(uri);
  }

  @Test
  void aCorruptGzipIsBadDataNamingTheObject() {
    byte[] bytes = gzip(rows(5_000));
    // Scramble the deflate data past the header: the CRC or the stream structure breaks.
    for (int i = 200; i < bytes.length - 8; i += 7) {
      bytes[i] ^= 0x5a;
    }
    refusedNaming(dataset(bytes), "not valid gzip", "line");
  }

  @Test
  void aTruncatedGzipIsBadDataNamingTheObject() {
    byte[] whole = gzip(rows(5_000));
    refusedNaming(dataset(Arrays.copyOf(whole, whole.length / 2)), "truncated");
  }

  @Test
  void bytesThatAreNotUtf8AreBadData() {
    byte[] latin1 = "id,age,color,y\n1,30,r\u00e9d,0\n".getBytes(StandardCharsets.ISO_8859_1);
    refusedNaming(dataset(gzipRaw(latin1)), "not UTF-8");
  }

  private static byte[] gzipRaw(byte[] bytes) {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Test
  void aZeroByteObjectIsAViolationNamingIt() {
    String bucket = dataset(new byte[0]);
    ValidationReport report = validate(store, snapshot(bucket));
    assertThat(report.passed()).isFalse();
    assertThat(report.violations())
        .anySatisfy(v -> assertThat(v).contains("s3://" + bucket + "/" + BAD_KEY, "0 bytes"));
    assertThatThrownBy(() -> new SnapshotReader(store).read(snapshot(bucket), TINY, day -> true))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining(BAD_KEY);
  }

  @Test
  void aHeaderOnlyPartitionIsAViolationNamingIt() {
    String bucket = dataset(gzip("id,age,color,y\n"));
    ValidationReport report = validate(store, snapshot(bucket));
    assertThat(report.passed()).isFalse();
    assertThat(report.violations())
        .anySatisfy(v -> assertThat(v).contains("s3://" + bucket + "/" + BAD_KEY, "no data rows"));
  }

  @Test
  void aStoreFailingMidReadIsTroubleToRetryNotBadData() {
    String bucket = dataset(gzip(rows(5_000)));
    DatasetSnapshot snapshot = snapshot(bucket);
    assertThatThrownBy(() -> validate(failingMidRead(store), snapshot))
        .isInstanceOf(ObjectStore.ObjectStoreException.class)
        .hasMessageContaining(GOOD_KEY)
        .hasMessageContaining("connection reset");
  }

  /** The store, with every opened stream failing after 100 bytes as a dropped connection does. */
  private static ObjectStore failingMidRead(ObjectStore store) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (!method.getName().equals("open")) {
                return result;
              }
              return new FilterInputStream((InputStream) result) {
                int left = 100;

                @Override
                public int read() throws IOException {
                  if (left-- <= 0) {
                    throw new SocketException("connection reset");
                  }
                  return super.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                  if (left <= 0) {
                    throw new SocketException("connection reset");
                  }
                  int n = super.read(b, off, Math.min(len, left));
                  left -= Math.max(n, 0);
                  return n;
                }
              };
            });
  }
}
