package dev.perennial.starter.chaos;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.store.S3Settings;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.starter.stack.Endpoints;
import dev.perennial.starter.stack.MinioServer;
import dev.perennial.starter.stack.TemporalServer;
import dev.perennial.workflows.PerennialSearchAttributes;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real stack, with every server in a process of its own so that it can be killed and started
 * again on the same data: the Temporal dev server on its SQLite file ({@code --db-filename}), MinIO
 * on its data directory, the worker JVMs; the model server runs in this JVM through {@link
 * DevStack} (it is never killed here, and its users must see every answer). Ports are picked once
 * and kept across restarts, so every client reconnects to the same address.
 */
final class ChaosStack implements AutoCloseable {
  private final Path dir;
  private final Path temporalCli;
  private final Path minioBinary;
  private final int temporalPort;
  private final int s3Port;
  private final int s3ConsolePort;
  private final String accessKey;
  private final String secretKey;
  private final PrintWriter out;
  private final Map<String, Process> workers = new LinkedHashMap<>();
  private final List<Process> deadWorkers = new ArrayList<>();
  private Process temporal;
  private int temporalStarts;
  private MinioServer minio;
  private DevStack apps;
  private WorkflowServiceStubs service;

  private ChaosStack(Path dir, PrintWriter out) throws IOException {
    this.dir = dir;
    this.out = out;
    this.temporalCli = TemporalServer.findCli().orElseThrow();
    this.minioBinary = MinioServer.findBinary().orElseThrow();
    this.temporalPort = DevStack.freePort();
    this.s3Port = DevStack.freePort();
    this.s3ConsolePort = DevStack.freePort();
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[10];
    random.nextBytes(key);
    this.accessKey = "chaos" + HexFormat.of().formatHex(key);
    byte[] secret = new byte[20];
    random.nextBytes(secret);
    this.secretKey = HexFormat.of().formatHex(secret);
  }

  /** MinIO, the dev server and the model server under {@code dir}; no worker yet. */
  static ChaosStack start(Path dir, PrintWriter out) throws Exception {
    ChaosStack stack = new ChaosStack(dir, out);
    try {
      stack.startS3();
      stack.startTemporal();
      stack.apps =
          DevStack.start(
              dir.resolve("apps"),
              DevStack.Ports.free(),
              new DevStack.External(
                  new S3Settings(
                      "http://127.0.0.1:" + stack.s3Port,
                      stack.accessKey,
                      stack.secretKey,
                      "us-east-1"),
                  "127.0.0.1:" + stack.temporalPort,
                  "default"),
              DevStack.ServerChoice.INSTALLED,
              false,
              out);
      stack.service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(stack.endpoints().temporalTarget())
                  .setRpcTimeout(Duration.ofSeconds(10))
                  .build());
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  Endpoints endpoints() {
    return apps.endpoints();
  }

  WorkflowClient client() {
    return WorkflowClient.newInstance(
        service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  WorkflowServiceStubs service() {
    return service;
  }

  ObjectStore store() {
    return ObjectStores.open(endpoints().s3Settings(), false);
  }

  // --- workers ---

  /** Starts a worker JVM named {@code name}, set up as the stack's in-process worker would be. */
  synchronized Process startWorker(String name) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx640m");
    command.add("-XX:TieredStopAtLevel=1"); // starts faster on two busy cores
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.perennial.worker.WorkerApplication");
    for (Map.Entry<String, Object> p : apps.workerProperties().entrySet()) {
      command.add("--" + p.getKey() + "=" + p.getValue());
    }
    Path log = dir.resolve("worker-" + name + "-" + (workers.size() + deadWorkers.size()) + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Process previous = workers.put(name, process);
    if (previous != null && previous.isAlive()) {
      throw new IllegalStateException("worker " + name + " is already running");
    }
    return process;
  }

  /** {@code kill -9} of worker {@code name}, and waits until it is gone. */
  synchronized void killWorker(String name) throws InterruptedException {
    Process p = workers.remove(name);
    kill9(p, "worker " + name);
    deadWorkers.add(p);
  }

  // --- the dev server ---

  private void startTemporal() throws Exception {
    Files.createDirectories(dir.resolve("temporal"));
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            temporalCli.toString(),
            "server",
            "start-dev",
            "--ip",
            "127.0.0.1",
            "--port",
            String.valueOf(temporalPort),
            "--headless",
            "--db-filename",
            dir.resolve("temporal/temporal.db").toString(),
            "--log-level",
            "warn"));
    if (temporalStarts == 0) {
      // Registered once; they live in the database file from then on.
      for (var key : PerennialSearchAttributes.ALL) {
        command.add("--search-attribute");
        command.add(key.getName() + "=Keyword");
      }
    }
    temporal =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("temporal/server.log").toFile()))
            .start();
    temporalStarts++;
    awaitTemporal(Duration.ofSeconds(90));
  }

  private void awaitTemporal(Duration timeout) throws InterruptedException {
    WorkflowServiceStubs probe =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + temporalPort)
                .build());
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      RuntimeException last = null;
      while (System.nanoTime() < deadline) {
        if (!temporal.isAlive()) {
          throw new IllegalStateException(
              "the dev server exited with "
                  + temporal.exitValue()
                  + "; see "
                  + dir.resolve("temporal/server.log"));
        }
        try {
          probe
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
          return;
        } catch (RuntimeException e) {
          last = e;
          Thread.sleep(200); // not up yet: poll again
        }
      }
      throw new IllegalStateException("the dev server did not answer within " + timeout, last);
    } finally {
      probe.shutdownNow();
    }
  }

  /** {@code kill -9} of the dev server, then a new one on the same database file and port. */
  Duration killAndRestartTemporal() throws Exception {
    kill9(temporal, "the dev server");
    long started = System.nanoTime();
    startTemporal();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  // --- MinIO ---

  private void startS3() throws IOException, InterruptedException {
    minio =
        MinioServer.start(
            minioBinary, dir.resolve("minio/data"), s3Port, s3ConsolePort, accessKey, secretKey);
  }

  /** Stops MinIO; {@link #startS3Again} brings it back on the same data directory. */
  void stopS3() throws InterruptedException {
    minio.close();
    minio = null;
  }

  void startS3Again() throws IOException, InterruptedException {
    startS3();
  }

  private static void kill9(Process p, String what) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no graceful stop
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(what + " survived kill -9 for 30 s");
    }
  }

  /** The tails of the worker and server logs, for a failure message. */
  String logs() {
    StringBuilder all = new StringBuilder();
    try (var files = Files.walk(dir, 3)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
        String text = Files.readString(f);
        all.append("\n--- ")
            .append(dir.relativize(f))
            .append(" ---\n")
            .append(text.length() > 3000 ? text.substring(text.length() - 3000) : text);
      }
    } catch (IOException e) {
      all.append("\n(logs unreadable: ").append(e).append(')');
    }
    return all.toString();
  }

  @Override
  public void close() {
    workers.values().forEach(Process::destroyForcibly);
    if (service != null) {
      service.shutdownNow();
    }
    if (apps != null) {
      apps.close();
    }
    if (temporal != null) {
      temporal.destroy();
      try {
        if (!temporal.waitFor(10, TimeUnit.SECONDS)) {
          temporal.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (minio != null) {
      try {
        minio.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    out.flush();
  }
}
