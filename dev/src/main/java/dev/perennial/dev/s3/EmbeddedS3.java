package dev.perennial.dev.s3;

import dev.perennial.core.store.MinioObjectStore;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.store.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An S3 server for tests: S3Proxy with its filesystem backend in a temporary directory, on
 * 127.0.0.1 and a free port, requiring AWS V4 signatures with random keys (so a test that forgets
 * the credentials fails as it would against a real server).
 *
 * <p>Use it as a per-class JUnit extension, which starts it before the first test and stops it
 * after the last:
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
 *
 * @Test void stores() { String bucket = S3.freshBucket(); S3.store().put(bucket, ...); }
 * }</pre>
 *
 * or outside JUnit with {@link #start()} and {@link #close()}.
 *
 * <p>Conditional writes: S3Proxy 4.1.0 honours {@code If-None-Match: *} atomically, but checks
 * {@code If-Match} and writes in two steps, so concurrent compare-and-swaps can both win. {@link
 * #store()} therefore serializes writes per key in this JVM ({@link
 * ObjectStores#serializeWritesPerKey}), which makes it behave like AWS S3 or MinIO for writers that
 * all use it; {@link #minioStore()} is the bare client, for tests of the client itself.
 */
public final class EmbeddedS3 implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  private static final String KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final AtomicInteger buckets = new AtomicInteger();
  private Path directory;
  private EmbeddedS3Server server;
  private S3Settings settings;
  private MinioObjectStore minioStore;
  private ObjectStore store;

  /** A stopped server; {@link #start()} or registering it as an extension starts it. */
  public EmbeddedS3() {}

  /** Starts the server; returns this for chaining. Throws if it is already running. */
  public EmbeddedS3 start() {
    if (server != null) {
      throw new IllegalStateException("embedded S3 already running at " + settings.endpoint());
    }
    SecureRandom random = new SecureRandom();
    String accessKey = randomKey(random, 20);
    String secretKey = randomKey(random, 40);
    try {
      directory = Files.createTempDirectory("perennial-s3-");
      server = EmbeddedS3Server.start(directory, 0, accessKey, secretKey);
    } catch (Exception e) {
      deleteDirectory();
      throw new IllegalStateException("embedded S3 did not start", e);
    }
    settings = server.settings();
    minioStore = ObjectStores.client(settings);
    store = ObjectStores.serializeWritesPerKey(minioStore);
    return this;
  }

  /** Base URL of the running server, e.g. {@code http://127.0.0.1:41234}. */
  public String endpoint() {
    return running().endpoint();
  }

  /** Endpoint and the random credentials of this server. */
  public S3Settings settings() {
    return running();
  }

  /**
   * A client for this server whose conditional writes are atomic for all writers that use it (see
   * the class comment): what services under test should get.
   */
  public ObjectStore store() {
    running();
    return store;
  }

  /** The bare MinIO client for this server, with S3Proxy's own conditional-write behaviour. */
  public MinioObjectStore minioStore() {
    running();
    return minioStore;
  }

  /** Creates a bucket no other test on this server uses and returns its name. */
  public String freshBucket() {
    String bucket = "test-" + buckets.incrementAndGet();
    store().ensureBucket(bucket);
    return bucket;
  }

  /** Stops the server and deletes its files. Safe to call twice. */
  @Override
  public void close() {
    try {
      if (minioStore != null) {
        minioStore.close();
      }
      if (server != null) {
        server.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("embedded S3 did not stop cleanly", e);
    } finally {
      minioStore = null;
      store = null;
      server = null;
      settings = null;
      deleteDirectory();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  private S3Settings running() {
    if (settings == null) {
      throw new IllegalStateException("embedded S3 is not running: call start() first");
    }
    return settings;
  }

  private static String randomKey(SecureRandom random, int length) {
    StringBuilder key = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      key.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
    }
    return key.toString();
  }

  private void deleteDirectory() {
    if (directory == null) {
      return;
    }
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    } finally {
      directory = null;
    }
  }
}
