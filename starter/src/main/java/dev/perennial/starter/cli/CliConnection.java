package dev.perennial.starter.cli;

import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.training.Trainers;
import dev.perennial.starter.cli.ConnectionDefaults.Setting;
import dev.perennial.starter.ops.TemporalAccess;
import dev.perennial.starter.stack.Endpoints;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Connection options shared by the commands that talk to a running stack. Each value: option, else
 * environment variable, else the {@code stack.json} of a running {@code perennial up} in the data
 * dir, else the local default.
 */
public final class CliConnection {
  @Option(
      names = "--data-dir",
      defaultValue = "${PERENNIAL_DATA_DIR:-.perennial}",
      description = "Data directory of the embedded stack (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--temporal",
      description =
          "Temporal frontend host:port (env PERENNIAL_TEMPORAL_ADDRESS). TLS, mutual TLS and an"
              + " API key: env PERENNIAL_TEMPORAL_TLS=true, PERENNIAL_TEMPORAL_TLS_CERT and"
              + " _TLS_KEY (PEM), PERENNIAL_TEMPORAL_TLS_CA, PERENNIAL_TEMPORAL_API_KEY.")
  String temporal;

  @Option(
      names = "--namespace",
      description = "Temporal namespace (env PERENNIAL_TEMPORAL_NAMESPACE, default: default).")
  String namespace;

  @Option(
      names = "--s3-endpoint",
      description = "S3-compatible endpoint URL (env PERENNIAL_S3_ENDPOINT).")
  String s3Endpoint;

  private Endpoints resolved;
  private WorkflowServiceStubs service;

  /**
   * The three options hold their resolved values (see {@link ConnectionDefaults}, the command
   * line's default-value provider); the settings without an option are resolved the same way here.
   */
  public Endpoints endpoints() {
    if (resolved == null) {
      Endpoints stack = Endpoints.readRunningStack(dataDir);
      ConnectionDefaults defaults = new ConnectionDefaults();
      resolved =
          new Endpoints(
              temporal,
              namespace,
              stack == null ? null : stack.uiAddress(),
              s3Endpoint,
              defaults.resolve(Setting.S3_REGION, stack),
              defaults.resolve(Setting.S3_ACCESS_KEY, stack),
              defaults.resolve(Setting.S3_SECRET_KEY, stack),
              defaults.resolve(Setting.ARTIFACT_BUCKET, stack),
              stack == null ? null : stack.workerAddress(),
              defaults.resolve(Setting.SERVING_URL, stack),
              defaults.resolve(Setting.SERVING_MANAGEMENT_URL, stack),
              stack == null ? null : stack.servingApiKey());
    }
    return resolved;
  }

  /** Uses these endpoints instead of resolving them (the demo's own stack). */
  void use(Endpoints endpoints) {
    this.resolved = endpoints;
  }

  public WorkflowClient workflowClient() {
    Endpoints e = endpoints();
    if (service == null) {
      service =
          WorkflowServiceStubs.newServiceStubs(
              TemporalAccess.from(System.getenv())
                  .applyTo(
                      WorkflowServiceStubsOptions.newBuilder()
                          .setTarget(e.temporalTarget())
                          .setRpcTimeout(Duration.ofSeconds(10)))
                  .build());
    }
    return WorkflowClient.newInstance(
        service, WorkflowClientOptions.newBuilder().setNamespace(e.namespace()).build());
  }

  /** The S3 store these options name; a group's subcommands in their own package use it too. */
  public ObjectStore objectStore() {
    return ObjectStores.open(endpoints().s3Settings(), false);
  }

  ModelRegistry registry() {
    ObjectStore store = objectStore();
    return new ModelRegistry(
        store,
        endpoints().artifactBucket(),
        Clock.systemUTC(),
        // Built lazily: reads never need the trainers, and the command line starts faster.
        version -> ArtifactCheck.loadable(store, Trainers.onClassPath().codec()).check(version));
  }

  public void close() {
    if (service != null) {
      service.shutdown();
    }
  }
}
