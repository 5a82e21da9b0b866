package dev.perennial.starter.stack;

import dev.perennial.serving.ServingApplication;
import dev.perennial.worker.PerennialWorkers;
import dev.perennial.worker.WorkerApplication;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The stack's applications, in this JVM: the worker (unless the caller runs its own) and the model
 * server, and the properties each runs with. Closing stops the model server, then the worker.
 *
 * @param worker the worker application, null when not started in process
 * @param serving the model server
 * @param workerProperties what a worker of this stack is started with
 * @param endpoints the servers' endpoints plus where the apps listen
 */
record StackApps(
    ConfigurableApplicationContext worker,
    ConfigurableApplicationContext serving,
    Map<String, Object> workerProperties,
    Endpoints endpoints)
    implements AutoCloseable {

  /**
   * Starts the worker (when {@code inProcessWorker}) and the model server against {@code servers};
   * prints where they listen to {@code out}. {@code plugins}: the plug-in jars both load, null
   * leaves them to {@code PERENNIAL_PLUGINS}.
   */
  static StackApps start(
      StackServers servers,
      DevStack.Ports ports,
      Path dataDir,
      boolean inProcessWorker,
      String plugins,
      PrintWriter out) {
    Endpoints configured = servers.endpoints();
    // S3Proxy checks If-Match and writes in two steps; the worker is the embedded server's only
    // writer, so serializing its writes per key makes registry updates atomic.
    Map<String, Object> workerProps =
        workerProperties(configured, ports.worker(), servers.s3Proxy(), plugins);
    ConfigurableApplicationContext worker = null;
    String workerUrl = null;
    if (inProcessWorker) {
      worker = WorkerApplication.start(workerProps);
      workerUrl = url(worker);
      out.printf("Worker:   %s/actuator/health (metrics at /actuator/prometheus)%n", workerUrl);
      printPipelines(worker.getBean(PerennialWorkers.class), out);
      out.flush();
    }
    // The model server asks for a key as it does outside the stack: a fresh one per stack, in
    // stack.json (mode 0600) for the demo's traffic and for the user's own requests.
    String apiKey = Secrets.newApiKey();
    ConfigurableApplicationContext serving;
    try {
      serving =
          ServingApplication.start(
              servingProperties(
                  configured, ports.serving(), dataDir.resolve("serving-spool"), plugins, apiKey));
    } catch (RuntimeException | Error e) {
      DevStack.closeQuietly(worker);
      throw e;
    }
    String servingUrl = url(serving);
    String servingManagement =
        "http://127.0.0.1:" + serving.getEnvironment().getRequiredProperty("local.management.port");
    out.printf(
        "Serving:  %s/v1/models/<model>/predict (with this stack's API key; metrics at"
            + " %s/actuator/prometheus)%n",
        servingUrl, servingManagement);
    out.flush();
    return new StackApps(
        worker,
        serving,
        workerProps,
        configured.withApps(workerUrl, servingUrl, servingManagement, apiKey));
  }

  private static String url(ConfigurableApplicationContext app) {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
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
    Map<String, Object> props = quietOnLoopback(endpoints.workerProperties(), port, plugins);
    props.put("perennial.s3.serialize-writes-per-key", serializeWritesPerKey);
    props.put("logging.level.io.temporal", "ERROR");
    return Map.copyOf(props);
  }

  /**
   * The model server, reading the registry the worker writes, accepting {@code apiKey} for predict
   * and feedback, its actuator on a free loopback port. Its prediction log flushes every second so
   * a canary's analysis sees requests of seconds ago.
   */
  private static Map<String, Object> servingProperties(
      Endpoints endpoints, int port, Path spool, String plugins, String apiKey) {
    Map<String, Object> props = quietOnLoopback(endpoints.servingProperties(), port, plugins);
    props.put("management.server.port", 0);
    props.put("management.server.address", "127.0.0.1");
    props.put("perennial.serving.auth.keys[0].name", "dev-stack");
    props.put("perennial.serving.auth.keys[0].secret", apiKey);
    props.put("perennial.serving.auth.keys[0].scopes", "predict,feedback");
    // The worker's auto-configuration is on this class path too; the model server is no worker.
    props.put("perennial.worker.enabled", false);
    props.put("perennial.serving.spool-dir", spool);
    props.put("perennial.serving.refresh-interval", "1s");
    props.put("perennial.serving.log-flush-interval", "1s");
    return props;
  }

  /**
   * {@code base} plus: listen on loopback {@code port}, no banner, warnings and worse only, and the
   * {@code plugins} when given.
   */
  private static Map<String, Object> quietOnLoopback(
      Map<String, Object> base, int port, String plugins) {
    Map<String, Object> props = new HashMap<>(base);
    if (plugins != null && !plugins.isBlank()) {
      props.put("perennial.plugins", plugins);
    }
    props.put("server.port", port);
    props.put("server.address", "127.0.0.1");
    props.put("spring.main.banner-mode", "off");
    props.put("logging.level.root", "WARN");
    return props;
  }

  @Override
  public void close() {
    serving.close();
    DevStack.closeQuietly(worker);
  }
}
