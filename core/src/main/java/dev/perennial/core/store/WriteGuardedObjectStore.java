package dev.perennial.core.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An {@link ObjectStore} in front of another that passes reads through and runs every write through
 * {@link #guard}: the one place a subclass adds what writes need (a lock, an injected fault in a
 * test).
 */
public abstract class WriteGuardedObjectStore implements ObjectStore {
  private final ObjectStore delegate;

  protected WriteGuardedObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  /** Runs one write to {@code bucket}/{@code key}. */
  protected abstract <T> T guard(String bucket, String key, Supplier<T> write);

  @Override
  public void ensureBucket(String bucket) {
    delegate.ensureBucket(bucket);
  }

  @Override
  public StoredObject put(String bucket, String key, byte[] bytes, String contentType) {
    return guard(bucket, key, () -> delegate.put(bucket, key, bytes, contentType));
  }

  @Override
  public StoredObject putFile(String bucket, String key, Path file, String contentType) {
    return guard(bucket, key, () -> delegate.putFile(bucket, key, file, contentType));
  }

  @Override
  public boolean putIfAbsent(String bucket, String key, byte[] bytes, String contentType) {
    return guard(bucket, key, () -> delegate.putIfAbsent(bucket, key, bytes, contentType));
  }

  @Override
  public boolean replaceIf(
      String bucket, String key, byte[] bytes, String contentType, String expectedEtag) {
    return guard(
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
}
