package dev.perennial.core.store;

/**
 * The one place object stores are made: the worker, the model server, the command line and the test
 * fixtures all open theirs here, so a new backend is one {@link ObjectStore} and one entry here.
 */
public final class ObjectStores {
  private ObjectStores() {}

  /**
   * The store for the S3-compatible server {@code settings} names; nothing is sent until the first
   * call.
   *
   * @param serializeWritesPerKey run writes to the same key one at a time in this JVM, for servers
   *     whose conditional writes are not atomic (S3Proxy; see {@link KeyLockingObjectStore}). Only
   *     sound when every writer is in this JVM; AWS S3 and MinIO need it off.
   */
  public static ObjectStore open(S3Settings settings, boolean serializeWritesPerKey) {
    MinioObjectStore client = client(settings);
    return serializeWritesPerKey ? serializeWritesPerKey(client) : client;
  }

  /**
   * The bare client, for what only it does: presigned links, and closing its connections when the
   * caller is done.
   */
  public static MinioObjectStore client(S3Settings settings) {
    return new MinioObjectStore(settings);
  }

  /** {@code store} with writes to the same key run one at a time in this JVM. */
  public static ObjectStore serializeWritesPerKey(ObjectStore store) {
    return new KeyLockingObjectStore(store);
  }
}
