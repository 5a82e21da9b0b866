package dev.perennial.activities.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An {@link ObjectStore} that runs writes to the same key one at a time, in this JVM.
 *
 * <p>Why: S3Proxy 4.1.0 evaluates {@code If-Match} on PUT by reading the current ETag and then
 * writing, two steps another writer can slip between, so two concurrent {@code replaceIf} calls
 * from the same ETag can both succeed. AWS S3 and MinIO do the check and the write atomically. This
 * wrapper closes the gap where every writer lives in this JVM and goes through the same wrapper
 * (tests, and the embedded dev stack, whose in-process worker is its only writer): S3Proxy still
 * decides whether each precondition holds; the lock only keeps a second write on the key from
 * landing between its check and its write. ({@code If-None-Match: *} is atomic in S3Proxy on its
 * own: it links the new file into place, which fails if one exists.)
 */
public final class KeyLockingObjectStore implements ObjectStore {

  private static final int STRIPES = 64;

  private final ObjectStore delegate;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  /** Serializes writes per key in front of {@code delegate}. */
  public KeyLockingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  @Override
  public void ensureBucket(String bucket) {
    delegate.ensureBucket(bucket);
  }

  @Override
  public StoredObject put(String bucket, String key, byte[] bytes, String contentType) {
    return locked(bucket, key, () -> delegate.put(bucket, key, bytes, contentType));
  }

  @Override
  public StoredObject putFile(String bucket, String key, Path file, String contentType) {
    return locked(bucket, key, () -> delegate.putFile(bucket, key, file, contentType));
  }

  @Override
  public boolean putIfAbsent(String bucket, String key, byte[] bytes, String contentType) {
    return locked(bucket, key, () -> delegate.putIfAbsent(bucket, key, bytes, contentType));
  }

  @Override
  public boolean replaceIf(
      String bucket, String key, byte[] bytes, String contentType, String expectedEtag) {
    return locked(
        bucket, key, () -> delegate.replaceIf(bucket, key, bytes, contentType, expectedEtag));
  }

  @Override
  public Optional<ObjectInfo> stat(String bucket, String key) {
    return delegate.stat(bucket, key);
  }

  @Override
  public InputStream open(String bucket, String key) throws NoSuchObjectException {
    return delegate.open(bucket, key);
  }

  @Override
  public Optional<Versioned> read(String bucket, String key) {
    return delegate.read(bucket, key);
  }

  @Override
  public List<ObjectInfo> list(String bucket, String prefix) {
    return delegate.list(bucket, prefix);
  }

  private <T> T locked(String bucket, String key, Supplier<T> write) {
    ReentrantLock lock = locks[Math.floorMod((bucket + '/' + key).hashCode(), STRIPES)];
    lock.lock();
    try {
      return write.get();
    } finally {
      lock.unlock();
    }
  }
}
