package dev.perennial.core.store;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link ObjectStore} over the MinIO Java client; works with MinIO, AWS S3 and other servers that
 * implement S3 conditional writes.
 */
public final class MinioObjectStore implements ObjectStore, AutoCloseable {

  /** Multipart part size for {@link #putFile}: few parts for model bundles, bounded memory. */
  static final long PART_SIZE = 16L * 1024 * 1024;

  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  /** Error codes for "the object is not there" (HEAD responses carry no body, hence the guess). */
  private static final Set<String> MISSING = Set.of("NoSuchKey", "NoSuchObject");

  /**
   * A lost conditional write: 412 PreconditionFailed, or 409 ConditionalRequestConflict when a
   * concurrent conditional write on the same key was in flight (AWS S3 answers so).
   */
  private static final Set<String> LOST_CONDITION =
      Set.of("PreconditionFailed", "ConditionalRequestConflict");

  private final MinioClient client;
  private final String endpoint;

  /**
   * Connects to the server {@code settings} names; nothing is sent until the first call. Made by
   * {@link ObjectStores}.
   */
  MinioObjectStore(S3Settings settings) {
    MinioClient.Builder builder =
        MinioClient.builder()
            .endpoint(settings.endpoint())
            .credentials(settings.accessKey(), settings.secretKey());
    if (settings.region() != null) {
      builder.region(settings.region());
    }
    this.client = builder.build();
    this.endpoint = settings.endpoint();
  }

  @Override
  public void ensureBucket(String bucket) {
    try {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      }
    } catch (MinioException e) {
      String code = errorCode(e);
      // Another worker created it between our check and our create: that is what we wanted.
      if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
        throw failure("cannot create bucket " + bucket, e);
      }
    }
  }

  @Override
  public StoredObject put(String bucket, String key, byte[] bytes, String contentType) {
    return putBytes(bucket, key, bytes, contentType, Map.of())
        .orElseThrow(() -> new IllegalStateException("unconditional put reported a lost race"));
  }

  @Override
  public StoredObject putFile(String bucket, String key, Path file, String contentType) {
    MessageDigest sha256 = Sha256.newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
      long size = Files.size(file);
      ObjectWriteResponse response =
          client.putObject(
              PutObjectArgs.builder().bucket(bucket).object(key).stream(in, size, PART_SIZE)
                  .contentType(contentTypeOrDefault(contentType))
                  .build());
      // The digest saw exactly the bytes the client read and sent, so it matches the object.
      return new StoredObject(bucket, key, size, unquote(response.etag()), Sha256.hex(sha256));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (MinioException e) {
      throw failure("cannot upload " + file + " to " + uri(bucket, key), e);
    }
  }

  @Override
  public boolean putIfAbsent(String bucket, String key, byte[] bytes, String contentType) {
    return putBytes(bucket, key, bytes, contentType, Map.of("If-None-Match", "*")).isPresent();
  }

  @Override
  public boolean replaceIf(
      String bucket, String key, byte[] bytes, String contentType, String expectedEtag) {
    Map<String, String> condition =
        expectedEtag == null
            ? Map.of("If-None-Match", "*")
            : Map.of("If-Match", "\"" + unquote(expectedEtag) + "\"");
    return putBytes(bucket, key, bytes, contentType, condition).isPresent();
  }

  /** One PUT of in-memory bytes; empty when a precondition in {@code condition} failed. */
  private Optional<StoredObject> putBytes(
      String bucket, String key, byte[] bytes, String contentType, Map<String, String> condition) {
    try {
      ObjectWriteResponse response =
          client.putObject(
              PutObjectArgs.builder()
                  .bucket(bucket)
                  .object(key)
                  .data(bytes, bytes.length)
                  .contentType(contentTypeOrDefault(contentType))
                  .extraHeaders(condition)
                  .build());
      return Optional.of(
          new StoredObject(bucket, key, bytes.length, unquote(response.etag()), Sha256.hex(bytes)));
    } catch (MinioException e) {
      String code = errorCode(e);
      // S3 answers If-Match on a missing object with 404 NoSuchKey: the swap lost all the same.
      boolean lost =
          LOST_CONDITION.contains(code)
              || (condition.containsKey("If-Match") && MISSING.contains(code));
      if (!condition.isEmpty() && lost) {
        return Optional.empty();
      }
      throw failure("cannot write " + uri(bucket, key), e);
    }
  }

  @Override
  public Optional<ObjectInfo> stat(String bucket, String key) {
    try {
      StatObjectResponse stat =
          client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
      return Optional.of(
          new ObjectInfo(
              bucket, key, stat.size(), unquote(stat.etag()), instant(stat.lastModified())));
    } catch (MinioException e) {
      if (MISSING.contains(errorCode(e))) {
        return Optional.empty();
      }
      throw failure("cannot stat " + uri(bucket, key), e);
    }
  }

  @Override
  public InputStream open(String bucket, String key) throws NoSuchObjectException {
    try {
      return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
    } catch (MinioException e) {
      if (MISSING.contains(errorCode(e))) {
        throw new NoSuchObjectException(bucket, key);
      }
      throw failure("cannot open " + uri(bucket, key), e);
    }
  }

  @Override
  public Optional<Versioned> read(String bucket, String key) {
    try (GetObjectResponse response =
        client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      byte[] bytes = response.readAllBytes();
      return Optional.of(new Versioned(bytes, unquote(response.headers().get("ETag"))));
    } catch (MinioException e) {
      if (MISSING.contains(errorCode(e))) {
        return Optional.empty();
      }
      throw failure("cannot read " + uri(bucket, key), e);
    } catch (IOException e) {
      throw new ObjectStoreException("cannot read " + uri(bucket, key) + ": " + e, e);
    }
  }

  private static java.time.Instant instant(java.time.ZonedDateTime time) {
    return time == null ? null : time.toInstant();
  }

  @Override
  public List<ObjectInfo> list(String bucket, String prefix) {
    List<ObjectInfo> objects = new ArrayList<>();
    try {
      for (Result<Item> result :
          client.listObjects(
              ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        Item item = result.get();
        if (!item.isDir()) {
          objects.add(
              new ObjectInfo(
                  bucket,
                  item.objectName(),
                  item.size(),
                  unquote(item.etag()),
                  instant(item.lastModified())));
        }
      }
    } catch (MinioException e) {
      throw failure("cannot list " + uri(bucket, prefix), e);
    }
    // S3 lists in UTF-8 binary order already; sorting makes that a promise, whatever the server.
    objects.sort(Comparator.comparing(ObjectInfo::key));
    return objects;
  }

  /**
   * An http(s) URL that lets whoever holds it GET the object for {@code validFor} without
   * credentials: for people to open a report in a browser. Signed locally, nothing is sent (the
   * region is configured, so the client does not ask the server for it); the object need not exist
   * yet.
   */
  public String presignedGet(String bucket, String key, Duration validFor) {
    try {
      return client.getPresignedObjectUrl(
          GetPresignedObjectUrlArgs.builder()
              .method(Http.Method.GET)
              .bucket(bucket)
              .object(key)
              .expiry((int) validFor.toSeconds(), TimeUnit.SECONDS)
              .build());
    } catch (MinioException e) {
      throw failure("cannot sign a link to " + uri(bucket, key), e);
    }
  }

  /** Releases the HTTP client's connections and threads. */
  @Override
  public void close() throws Exception {
    client.close();
  }

  @Override
  public String toString() {
    return "MinioObjectStore[" + endpoint + "]";
  }

  /** The S3 error code anywhere in the cause chain, or null when the server never answered. */
  private static String errorCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ErrorResponseException response) {
        return response.errorResponse().code();
      }
    }
    return null;
  }

  private ObjectStoreException failure(String what, MinioException e) {
    String code = errorCode(e);
    return new ObjectStoreException(
        what + " on " + endpoint + ": " + (code != null ? code + ": " : "") + e.getMessage(), e);
  }

  private static String contentTypeOrDefault(String contentType) {
    return contentType != null ? contentType : DEFAULT_CONTENT_TYPE;
  }

  /** ETags travel quoted in HTTP; the store hands them out bare so callers can compare them. */
  private static String unquote(String etag) {
    if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
      return etag.substring(1, etag.length() - 1);
    }
    return etag;
  }

  private static String uri(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }
}
