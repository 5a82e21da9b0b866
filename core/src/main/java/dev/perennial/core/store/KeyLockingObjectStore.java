package dev.perennial.core.store;

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
final class KeyLockingObjectStore extends WriteGuardedObjectStore {

  private static final int STRIPES = 64;

  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  /** Serializes writes per key in front of {@code delegate}. */
  KeyLockingObjectStore(ObjectStore delegate) {
    super(delegate);
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  @Override
  protected <T> T guard(String bucket, String key, Supplier<T> write) {
    ReentrantLock lock = locks[Math.floorMod((bucket + '/' + key).hashCode(), STRIPES)];
    lock.lock();
    try {
      return write.get();
    } finally {
      lock.unlock();
    }
  }
}
