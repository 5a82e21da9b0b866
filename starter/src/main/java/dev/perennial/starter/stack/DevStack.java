package dev.perennial.starter.stack;

import dev.perennial.core.store.S3Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded stack: S3 (S3Proxy on the filesystem under the data dir, or MinIO), Temporal (dev
 * server or Java test server), the worker application and the model server, all on loopback.
 * Closing it stops them in reverse order.
 */
public final class DevStack implements AutoCloseable {
  /** Loopback ports; 0 picks a free one. */
  public record Ports(
      int temporal, int temporalUi, int s3, int s3Console, int worker, int serving) {
    /**
     * Any free ports: 0 everywhere. Each server's ports are picked just before it starts (or bound
     * by the server itself), since a server started earlier could take a port picked in advance.
     */
    public static Ports free() {
      return new Ports(0, 0, 0, 0, 0, 0);
    }

    /** {@code port}, or a free loopback port when it is 0. */
    static int orFree(int port) throws IOException {
      return port != 0 ? port : freePort();
    }
  }

  /** A loopback port free right now (a server started later may still take it). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Which servers the stack starts for what is not configured. */
  public enum ServerChoice {
    /** Installed {@code temporal} and {@code minio} where found, embedded ones otherwise. */
    AUTO,
    /** Temporal's Java test server and S3Proxy, even when real servers are installed. */
    EMBEDDED,
    /** The installed {@code temporal} and {@code minio}; fails when either is missing. */
    INSTALLED
  }

  private final StackServers servers;
  private final StackApps apps;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::stop, "perennial-stack-shutdown");

  private DevStack(StackServers servers, StackApps apps) {
    this.servers = servers;
    this.apps = apps;
    // Ctrl-C stops the servers too (the dev server is a child process that would outlive us).
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Servers the user already runs. A null field means "start the embedded one".
   *
   * @param s3 a configured S3-compatible endpoint with credentials
   * @param temporalTarget a configured Temporal frontend
   * @param namespace its namespace
   */
  public record External(S3Settings s3, String temporalTarget, String namespace) {
    public static final External NONE = new External(null, null, "default");

    /** From PERENNIAL_S3_ENDPOINT (+ credentials) and PERENNIAL_TEMPORAL_ADDRESS. */
    public static External fromEnvironment() {
      String endpoint = env("PERENNIAL_S3_ENDPOINT");
      S3Settings s3 = null;
      if (endpoint != null) {
        String access = env("PERENNIAL_S3_ACCESS_KEY");
        String secret = env("PERENNIAL_S3_SECRET_KEY");
        if (access == null || secret == null) {
          throw new IllegalStateException(
              "PERENNIAL_S3_ENDPOINT is set to "
                  + endpoint
                  + " but PERENNIAL_S3_ACCESS_KEY / PERENNIAL_S3_SECRET_KEY are not: set both, or"
                  + " unset PERENNIAL_S3_ENDPOINT to use the embedded S3 server");
        }
        String region = env("PERENNIAL_S3_REGION");
        s3 = new S3Settings(endpoint, access, secret, region == null ? "us-east-1" : region);
      }
      String namespace = env("PERENNIAL_TEMPORAL_NAMESPACE");
      return new External(
          s3, env("PERENNIAL_TEMPORAL_ADDRESS"), namespace == null ? "default" : namespace);
    }

    private static String env(String name) {
      String v = System.getenv(name);
      return v == null || v.isBlank() ? null : v;
    }
  }

  /**
   * Starts what {@code external} does not provide (S3, Temporal), as {@code choice} says, the
   * worker and the model server; prints what it uses to {@code out}.
   */
  public static DevStack start(
      Path dataDir, Ports ports, External external, ServerChoice choice, PrintWriter out)
      throws Exception {
    return start(dataDir, ports, external, choice, true, out);
  }

  /**
   * As {@link #start(Path, Ports, External, ServerChoice, PrintWriter)}; without {@code
   * inProcessWorker} no worker is started, for a caller that runs workers of its own with {@link
   * #workerProperties()} (in other JVMs, say).
   */
  public static DevStack start(
      Path dataDir,
      Ports ports,
      External external,
      ServerChoice choice,
      boolean inProcessWorker,
      PrintWriter out)
      throws Exception {
    return start(dataDir, ports, external, choice, inProcessWorker, null, out);
  }

  /**
   * As {@link #start(Path, Ports, External, ServerChoice, boolean, PrintWriter)}, with the worker
   * and the model server loading the plug-in jars in {@code plugins} (directories or jars separated
   * like a class path; null leaves them to {@code PERENNIAL_PLUGINS}).
   */
  public static DevStack start(
      Path dataDir,
      Ports ports,
      External external,
      ServerChoice choice,
      boolean inProcessWorker,
      String plugins,
      PrintWriter out)
      throws Exception {
    StackServers servers = StackServers.start(dataDir, ports, external, choice, out);
    try {
      return new DevStack(
          servers, StackApps.start(servers, ports, dataDir, inProcessWorker, plugins, out));
    } catch (Exception | Error e) {
      servers.close();
      throw e;
    }
  }

  /**
   * Starts on free loopback ports. A port found free can be taken by another process before the
   * server binds it, so a start that fails to bind is retried on fresh ports (3 tries).
   */
  public static DevStack startOnFreePorts(
      Path dataDir, External external, ServerChoice choice, PrintWriter out) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return start(dataDir, Ports.free(), external, choice, out);
      } catch (Exception e) {
        if (attempt == 3 || !portTaken(e)) {
          throw e;
        }
        out.printf("(a port was taken while starting; retrying on other ports)%n");
      }
    }
  }

  private static boolean portTaken(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.BindException
          || String.valueOf(t.getMessage()).contains("address already in use")
          || String.valueOf(t.getMessage()).contains("already in use")) {
        return true;
      }
    }
    return false;
  }

  /** The settings the stack's worker runs with, for starting another one against this stack. */
  public Map<String, Object> workerProperties() {
    return apps.workerProperties();
  }

  public Endpoints endpoints() {
    return apps.endpoints();
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
      apps.close();
      servers.close();
    }
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("warning: while stopping " + c.getClass().getSimpleName() + ": " + e);
    }
  }
}
