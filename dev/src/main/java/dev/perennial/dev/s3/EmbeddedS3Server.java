package dev.perennial.dev.s3;

import dev.perennial.core.store.S3Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible server in this JVM: S3Proxy with its filesystem backend, on 127.0.0.1, with AWS
 * V4 authentication. The embedded default of the dev stack and the S3 endpoint of the tests.
 *
 * <p>S3Proxy is an optional dependency of this module: only code that starts this server (the
 * command line, tests) puts it on the classpath.
 */
public final class EmbeddedS3Server implements AutoCloseable {
  private final S3Proxy proxy;
  private final S3Settings settings;

  private EmbeddedS3Server(S3Proxy proxy, S3Settings settings) {
    this.proxy = proxy;
    this.settings = settings;
  }

  /**
   * Starts a server that keeps its buckets under {@code directory}.
   *
   * @param port TCP port on 127.0.0.1, 0 for any free port
   */
  public static EmbeddedS3Server start(Path directory, int port, String accessKey, String secretKey)
      throws Exception {
    Files.createDirectories(directory);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()))
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        proxy.stop();
        throw new IllegalStateException("S3Proxy did not start within 10 s: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    String endpoint = "http://127.0.0.1:" + proxy.getPort();
    return new EmbeddedS3Server(proxy, new S3Settings(endpoint, accessKey, secretKey, "us-east-1"));
  }

  public S3Settings settings() {
    return settings;
  }

  public String endpoint() {
    return settings.endpoint();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
