package dev.perennial.starter;

import dev.perennial.core.store.S3Settings;
import dev.perennial.dev.s3.EmbeddedS3Server;
import dev.perennial.serving.ServingApplication;
import dev.perennial.worker.PerennialWorkers;
import dev.perennial.worker.WorkerApplication;
import dev.perennial.workflows.PerennialSearchAttributes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded stack: S3 (S3Proxy on the filesystem under the data dir, or MinIO), Temporal (dev
 * server or Java test server), the worker application and the model server, all on loopback.
 * Closing it stops them in reverse order.
 */
final class DevStack implements AutoCloseable {
  /** Loopback ports; 0 picks a free one. */
  record Ports(int temporal, int temporalUi, int s3, int s3Console, int worker, int serving) {
    /**
     * Any free ports: 0 everywhere. Each server's ports are picked just before it starts (or bound
     * by the server itself), since a server started earlier could take a port picked in advance.
     */
    static Ports free() {
      return new Ports(0, 0, 0, 0, 0, 0);
    }
  }

  /** Which servers the stack starts for what is not configured. */
  enum ServerChoice {
    /** Installed {@code temporal} and {@code minio} where found, embedded ones otherwise. */
    AUTO,
    /** Temporal's Java test server and S3Proxy, even when real servers are installed. */
    EMBEDDED,
    /** The installed {@code temporal} and {@code minio}; fails when either is missing. */
    INSTALLED
  }

  private final AutoCloseable s3;
  private final TemporalServer temporal;
  private final ConfigurableApplicationContext worker;
  private final ConfigurableApplicationContext serving;
  private final Endpoints endpoints;
  private final Map<String, Object> workerProperties;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::stop, "perennial-stack-shutdown");

  private DevStack(
      AutoCloseable s3,
      TemporalServer temporal,
      ConfigurableApplicationContext worker,
      ConfigurableApplicationContext serving,
      Endpoints endpoints,
      Map<String, Object> workerProperties) {
    this.s3 = s3;
    this.temporal = temporal;
    this.worker = worker;
    this.serving = serving;
    this.workerProperties = workerProperties;
    this.endpoints = endpoints;
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
  record External(S3Settings s3, String temporalTarget, String namespace) {
    static final External NONE = new External(null, null, "default");

    /** From PERENNIAL_S3_ENDPOINT (+ credentials) and PERENNIAL_TEMPORAL_ADDRESS. */
    static External fromEnvironment() {
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
  static DevStack start(
      Path dataDir, Ports ports, External external, ServerChoice choice, PrintWriter out)
      throws Exception {
    return start(dataDir, ports, external, choice, true, out);
  }

  /**
   * As {@link #start(Path, Ports, External, ServerChoice, PrintWriter)}; without {@code
   * inProcessWorker} no worker is started, for a caller that runs workers of its own with {@link
   * #workerProperties()} (in other JVMs, say).
   */
  static DevStack start(
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
  static DevStack start(
      Path dataDir,
      Ports ports,
      External external,
      ServerChoice choice,
      boolean inProcessWorker,
      String plugins,
      PrintWriter out)
      throws Exception {
    AutoCloseable s3 = null;
    TemporalServer temporal = null;
    ConfigurableApplicationContext serving = null;
    try {
      S3Settings s3Settings;
      boolean s3Proxy = false;
      if (external.s3() != null) {
        s3Settings = external.s3();
        out.printf("S3:       %s (configured)%n", s3Settings.endpoint());
      } else {
        String[] credentials = Secrets.embeddedS3Credentials(dataDir);
        Optional<Path> minio = installed(choice, MinioServer.findBinary(), "minio");
        if (minio.isPresent()) {
          MinioServer server =
              MinioServer.start(
                  minio.get(),
                  dataDir.resolve("minio"),
                  orFree(ports.s3()),
                  orFree(ports.s3Console()),
                  credentials[0],
                  credentials[1]);
          s3 = server;
          s3Settings = server.settings();
          out.printf(
              "S3:       %s, %s, data in %s (console %s)%n",
              s3Settings.endpoint(), server.kind(), dataDir.resolve("minio"), server.console());
        } else {
          EmbeddedS3Server server =
              EmbeddedS3Server.start(
                  dataDir.resolve("s3"), ports.s3(), credentials[0], credentials[1]);
          s3 = server;
          s3Proxy = true;
          s3Settings = server.settings();
          out.printf(
              "S3:       %s (S3Proxy, files under %s; install MinIO with"
                  + " infra/local/install-servers.sh)%n",
              s3Settings.endpoint(), dataDir.resolve("s3"));
        }
      }
      out.flush();
      String target;
      String ui = null;
      if (external.temporalTarget() != null) {
        target = external.temporalTarget();
        out.printf("Temporal: %s (configured, namespace %s)%n", target, external.namespace());
      } else {
        temporal =
            TemporalServer.start(
                dataDir.resolve("temporal"),
                orFree(ports.temporal()),
                orFree(ports.temporalUi()),
                PerennialSearchAttributes.ALL.stream().map(k -> k.getName()).toList(),
                installed(choice, TemporalServer.findCli(), "temporal"));
        target = temporal.target();
        ui = temporal.uiAddress();
        out.printf("Temporal: %s, %s%n", target, temporal.kind());
        if (ui != null) {
          out.printf("Web UI:   %s%n", ui);
        }
      }
      out.flush();
      Endpoints configured =
          new Endpoints(
              target,
              external.namespace(),
              ui,
              s3Settings.endpoint(),
              s3Settings.region(),
              s3Settings.accessKey(),
              s3Settings.secretKey(),
              CliConnection.DEFAULT_ARTIFACT_BUCKET,
              null,
              null,
              null,
              null);
      // S3Proxy checks If-Match and writes in two steps; the worker is the embedded server's only
      // writer, so serializing its writes per key makes registry updates atomic.
      Map<String, Object> workerProps =
          workerProperties(configured, ports.worker(), s3Proxy, plugins);
      ConfigurableApplicationContext worker = null;
      String workerUrl = null;
      if (inProcessWorker) {
        worker = WorkerApplication.start(workerProps);
        workerUrl =
            "http://127.0.0.1:" + ((WebServerApplicationContext) worker).getWebServer().getPort();
        out.printf("Worker:   %s/actuator/health (metrics at /actuator/prometheus)%n", workerUrl);
        printPipelines(worker.getBean(PerennialWorkers.class), out);
        out.flush();
      }
      // The model server asks for a key as it does outside the stack: a fresh one per stack, in
      // stack.json (mode 0600) for the demo's traffic and for the user's own requests.
      String apiKey = Secrets.newApiKey();
      try {
        serving =
            startServing(
                configured, ports.serving(), dataDir.resolve("serving-spool"), plugins, apiKey);
      } catch (RuntimeException | Error e) {
        closeQuietly(worker);
        throw e;
      }
      String servingUrl =
          "http://127.0.0.1:" + ((WebServerApplicationContext) serving).getWebServer().getPort();
      String servingManagement =
          "http://127.0.0.1:"
              + serving.getEnvironment().getRequiredProperty("local.management.port");
      Endpoints endpoints = configured.withApps(workerUrl, servingUrl, servingManagement, apiKey);
      out.printf(
          "Serving:  %s/v1/models/<model>/predict (with this stack's API key; metrics at"
              + " %s/actuator/prometheus)%n",
          servingUrl, servingManagement);
      out.flush();
      return new DevStack(s3, temporal, worker, serving, endpoints, workerProps);
    } catch (Exception | Error e) {
      closeQuietly(serving);
      closeQuietly(temporal);
      closeQuietly(s3);
      throw e;
    }
  }

  /**
   * Starts on free loopback ports. A port found free can be taken by another process before the
   * server binds it, so a start that fails to bind is retried on fresh ports (3 tries).
   */
  static DevStack startOnFreePorts(
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

  private static Optional<Path> installed(ServerChoice choice, Optional<Path> found, String name) {
    return switch (choice) {
      case EMBEDDED -> Optional.empty();
      case AUTO -> found;
      case INSTALLED ->
          Optional.of(
              found.orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no `"
                              + name
                              + "` binary on the PATH: install the real servers with"
                              + " infra/local/install-servers.sh")));
    };
  }

  /** The workflow types the in-process worker registered: built-in ones, then users' pipelines. */
  private static void printPipelines(PerennialWorkers workers, PrintWriter out) {
    out.printf(
        "Pipelines: %s (built-in)%n",
        workers.pipelines().stream()
            .filter(p -> !workers.userPipelines().contains(p))
            .map(PerennialWorkers.Pipeline::type)
            .collect(Collectors.joining(", ")));
    for (PerennialWorkers.Pipeline p : workers.userPipelines()) {
      out.printf("           %s (%s, from %s)%n", p.type(), p.implementation(), p.source());
    }
  }

  /** What a worker of this stack is started with (as {@code --key=value} arguments). */
  private static Map<String, Object> workerProperties(
      Endpoints endpoints, int port, boolean serializeWritesPerKey, String plugins) {
    Map<String, Object> props = quietOnLoopback(endpoints.workerProperties(), port);
    props.put("perennial.s3.serialize-writes-per-key", serializeWritesPerKey);
    if (plugins != null && !plugins.isBlank()) {
      props.put("perennial.plugins", plugins);
    }
    props.put("logging.level.io.temporal", "ERROR");
    return Map.copyOf(props);
  }

  /** The settings the stack's worker runs with, for starting another one against this stack. */
  Map<String, Object> workerProperties() {
    return workerProperties;
  }

  /** {@code base} plus: listen on loopback {@code port}, no banner, warnings and worse only. */
  private static Map<String, Object> quietOnLoopback(Map<String, Object> base, int port) {
    Map<String, Object> props = new HashMap<>(base);
    props.put("server.port", port);
    props.put("server.address", "127.0.0.1");
    props.put("spring.main.banner-mode", "off");
    props.put("logging.level.root", "WARN");
    return props;
  }

  /**
   * The model server, reading the registry the worker writes, accepting {@code apiKey} for predict
   * and feedback, its actuator on a free loopback port. Its prediction log flushes every second so
   * a canary's analysis sees requests of seconds ago.
   */
  private static ConfigurableApplicationContext startServing(
      Endpoints endpoints, int port, Path spool, String plugins, String apiKey) {
    Map<String, Object> props = quietOnLoopback(endpoints.servingProperties(), port);
    props.put("management.server.port", 0);
    props.put("management.server.address", "127.0.0.1");
    props.put("perennial.serving.auth.keys[0].name", "dev-stack");
    props.put("perennial.serving.auth.keys[0].secret", apiKey);
    props.put("perennial.serving.auth.keys[0].scopes", "predict,feedback");
    // The worker's auto-configuration is on this class path too; the model server is no worker.
    props.put("perennial.worker.enabled", false);
    if (plugins != null && !plugins.isBlank()) {
      props.put("perennial.plugins", plugins);
    }
    props.put("perennial.serving.spool-dir", spool);
    props.put("perennial.serving.refresh-interval", "1s");
    props.put("perennial.serving.log-flush-interval", "1s");
    return ServingApplication.start(props);
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
      serving.close();
      closeQuietly(worker);
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

  private static int orFree(int port) throws IOException {
    return port == 0 ? freePort() : port;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
