package dev.perennial.starter;

import dev.perennial.activities.store.EmbeddedS3Server;
import dev.perennial.worker.WorkerApplication;
import dev.perennial.workflows.PerennialSearchAttributes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded stack: S3 (S3Proxy on the filesystem under the data dir), Temporal (dev server or
 * Java test server) and the worker application, all on loopback. Closing it stops them in reverse
 * order.
 */
final class DevStack implements AutoCloseable {
  /** Loopback ports; 0 picks a free one. */
  record Ports(int temporal, int temporalUi, int s3, int worker) {
    static Ports defaults() {
      return new Ports(7233, 8233, 9000, 8081);
    }

    static Ports free() throws IOException {
      return new Ports(freePort(), freePort(), 0, freePort());
    }
  }

  private final EmbeddedS3Server s3;
  private final TemporalServer temporal;
  private final ConfigurableApplicationContext worker;
  private final Endpoints endpoints;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::stop, "perennial-stack-shutdown");

  private DevStack(
      EmbeddedS3Server s3,
      TemporalServer temporal,
      ConfigurableApplicationContext worker,
      Endpoints endpoints) {
    this.s3 = s3;
    this.temporal = temporal;
    this.worker = worker;
    this.endpoints = endpoints;
    // Ctrl-C stops the servers too (the dev server is a child process that would outlive us).
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts S3, Temporal and the worker; prints what it started to {@code out}. */
  static DevStack start(Path dataDir, Ports ports, PrintWriter out) throws Exception {
    EmbeddedS3Server s3 = null;
    TemporalServer temporal = null;
    try {
      String[] credentials = Secrets.embeddedS3Credentials(dataDir);
      s3 =
          EmbeddedS3Server.start(dataDir.resolve("s3"), ports.s3(), credentials[0], credentials[1]);
      out.printf("S3:       %s (S3Proxy, files under %s)%n", s3.endpoint(), dataDir.resolve("s3"));
      out.flush();
      temporal =
          TemporalServer.start(
              dataDir.resolve("temporal"),
              ports.temporal(),
              ports.temporalUi(),
              PerennialSearchAttributes.ALL.stream().map(k -> k.getName()).toList());
      out.printf("Temporal: %s, %s%n", temporal.target(), temporal.kind());
      if (temporal.uiAddress() != null) {
        out.printf("Web UI:   %s%n", temporal.uiAddress());
      }
      out.flush();
      String workerUrl = "http://127.0.0.1:" + ports.worker();
      Endpoints endpoints =
          new Endpoints(
              temporal.target(),
              "default",
              temporal.uiAddress(),
              s3.endpoint(),
              s3.settings().region(),
              credentials[0],
              credentials[1],
              CliConnection.DEFAULT_ARTIFACT_BUCKET,
              workerUrl);
      ConfigurableApplicationContext worker = startWorker(endpoints, ports.worker());
      out.printf("Worker:   %s/actuator/health (metrics at /actuator/prometheus)%n", workerUrl);
      out.flush();
      return new DevStack(s3, temporal, worker, endpoints);
    } catch (Exception | Error e) {
      closeQuietly(temporal);
      closeQuietly(s3);
      throw e;
    }
  }

  private static ConfigurableApplicationContext startWorker(Endpoints endpoints, int port) {
    Map<String, Object> props = new HashMap<>(endpoints.workerProperties());
    props.put("server.port", port);
    props.put("server.address", "127.0.0.1");
    // S3Proxy checks If-Match and writes in two steps; the in-process worker is the stack's only
    // writer, so serializing its writes per key makes registry updates atomic again.
    props.put("perennial.s3.serialize-writes-per-key", true);
    props.put("spring.main.banner-mode", "off");
    props.put("logging.level.root", "WARN");
    props.put("logging.level.io.temporal", "ERROR");
    return WorkerApplication.start(props);
  }

  Endpoints endpoints() {
    return endpoints;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or will run.
    }
    stop();
  }

  private void stop() {
    if (closed.compareAndSet(false, true)) {
      worker.close();
      closeQuietly(temporal);
      closeQuietly(s3);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("warning: while stopping " + c.getClass().getSimpleName() + ": " + e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
