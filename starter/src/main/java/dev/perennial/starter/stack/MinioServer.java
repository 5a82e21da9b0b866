package dev.perennial.starter.stack;

import dev.perennial.core.store.S3Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real MinIO server as a child process, for the embedded stack when a {@code minio} binary is
 * installed: data under the data dir, credentials from {@link Secrets}, loopback only.
 */
public final class MinioServer implements AutoCloseable {
  /** Environment variable naming the {@code minio} binary. */
  public static final String BINARY_ENV = "PERENNIAL_MINIO";

  private final Process process;
  private final S3Settings settings;
  private final String console;
  private final Path binary;

  private MinioServer(Process process, S3Settings settings, String console, Path binary) {
    this.process = process;
    this.settings = settings;
    this.console = console;
    this.binary = binary;
  }

  /** The {@code minio} binary from {@value #BINARY_ENV} or the PATH, if any. */
  public static Optional<Path> findBinary() {
    return InstalledBinaries.find(BINARY_ENV, "minio");
  }

  public static MinioServer start(
      Path binary, Path dataDir, int port, int consolePort, String accessKey, String secretKey)
      throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Path log = dataDir.resolveSibling("minio.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    binary.toString(),
                    "server",
                    dataDir.toAbsolutePath().toString(),
                    "--address",
                    "127.0.0.1:" + port,
                    "--console-address",
                    "127.0.0.1:" + consolePort,
                    "--quiet"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("MINIO_ROOT_USER", accessKey);
    builder.environment().put("MINIO_ROOT_PASSWORD", secretKey);
    builder.environment().put("MINIO_BROWSER", "on");
    builder.environment().put("MINIO_UPDATE", "off");
    Process process = builder.start();
    String endpoint = "http://127.0.0.1:" + port;
    MinioServer server =
        new MinioServer(
            process,
            new S3Settings(endpoint, accessKey, secretKey, "us-east-1"),
            "http://127.0.0.1:" + consolePort,
            binary);
    try {
      server.awaitLive(Duration.ofSeconds(30), log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void awaitLive(Duration timeout, Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest live =
        HttpRequest.newBuilder(URI.create(settings.endpoint() + "/minio/health/live"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "MinIO exited with code " + process.exitValue() + " at start-up; see " + log);
      }
      try {
        if (http.send(live, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("MinIO did not become live within " + timeout + "; see " + log);
  }

  public S3Settings settings() {
    return settings;
  }

  public String console() {
    return console;
  }

  public String kind() {
    return "MinIO (" + binary + ")";
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
