package dev.perennial.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The S3 operations Perennial needs, behind one small interface so the rest of the code does not
 * care which S3-compatible server it talks to. Implemented over the MinIO client by {@link
 * MinioObjectStore}.
 *
 * <p>Errors: a missing object is {@link Optional#empty()} or {@link NoSuchObjectException}; a lost
 * conditional write is {@code false}; everything else (server down, auth) is an unchecked {@link
 * ObjectStoreException}, which activities let Temporal retry.
 */
public interface ObjectStore {

  /** Creates the bucket if it does not exist. */
  void ensureBucket(String bucket);

  /** Writes (or overwrites) an object; returns what was stored. */
  StoredObject put(String bucket, String key, byte[] bytes, String contentType);

  /** Uploads a file (multipart when large); returns what was stored, SHA-256 included. */
  StoredObject putFile(String bucket, String key, Path file, String contentType);

  /**
   * Writes the object only if no object exists under the key ({@code If-None-Match: *}). Returns
   * false, writing nothing, when one does: the atomic step behind registry version allocation.
   */
  boolean putIfAbsent(String bucket, String key, byte[] bytes, String contentType);

  /**
   * Replaces the object only if its current ETag is {@code expectedEtag} ({@code If-Match}), or,
   * with {@code expectedEtag == null}, only if it does not exist. Returns false when another writer
   * got there first: compare-and-swap for small mutable documents (aliases).
   */
  boolean replaceIf(
      String bucket, String key, byte[] bytes, String contentType, String expectedEtag);

  /** Metadata of an object, empty when it does not exist. */
  Optional<ObjectInfo> stat(String bucket, String key);

  /** Opens an object for reading; the caller closes the stream. */
  InputStream open(String bucket, String key) throws NoSuchObjectException;

  /** Reads a small object fully, with its ETag; empty when it does not exist. */
  Optional<Versioned> read(String bucket, String key);

  /** Objects under a prefix, recursively, sorted by key. */
  List<ObjectInfo> list(String bucket, String prefix);

  /**
   * Metadata of one object. {@code lastModified} is when the store last wrote it, by the store's
   * clock; null when the store did not say.
   */
  record ObjectInfo(String bucket, String key, long size, String etag, Instant lastModified) {}

  /** What a write stored. {@code sha256} is lower-case hex. */
  record StoredObject(String bucket, String key, long size, String etag, String sha256) {}

  /** A small object's bytes with the ETag they were read at. */
  record Versioned(byte[] bytes, String etag) {}

  /** The object does not exist. */
  final class NoSuchObjectException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoSuchObjectException(String bucket, String key) {
      super("no object s3://" + bucket + "/" + key);
    }
  }

  /** The store could not do what was asked (server down, access denied, ...). */
  final class ObjectStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ObjectStoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
