package dev.perennial.starter;

import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.training.Trainers;
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
final class CliConnection {
  static final String DEFAULT_ARTIFACT_BUCKET = "perennial-artifacts";

  @Option(
      names = "--data-dir",
      defaultValue = "${PERENNIAL_DATA_DIR:-.perennial}",
      description = "Data directory of the embedded stack (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--temporal",
      description = "Temporal frontend host:port (env PERENNIAL_TEMPORAL_ADDRESS).")
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

  Endpoints endpoints() {
    if (resolved == null) {
      Endpoints stack = Endpoints.readRunningStack(dataDir);
      resolved =
          new Endpoints(
              pick(
                  temporal,
                  "PERENNIAL_TEMPORAL_ADDRESS",
                  stack == null ? null : stack.temporalTarget(),
                  "127.0.0.1:7233"),
              pick(
                  namespace,
                  "PERENNIAL_TEMPORAL_NAMESPACE",
                  stack == null ? null : stack.namespace(),
                  "default"),
              stack == null ? null : stack.uiAddress(),
              pick(
                  s3Endpoint,
                  "PERENNIAL_S3_ENDPOINT",
                  stack == null ? null : stack.s3Endpoint(),
                  "http://127.0.0.1:9000"),
              pick(
                  null,
                  "PERENNIAL_S3_REGION",
                  stack == null ? null : stack.s3Region(),
                  "us-east-1"),
              pick(
                  null,
                  "PERENNIAL_S3_ACCESS_KEY",
                  stack == null ? null : stack.s3AccessKey(),
                  null),
              pick(
                  null,
                  "PERENNIAL_S3_SECRET_KEY",
                  stack == null ? null : stack.s3SecretKey(),
                  null),
              pick(
                  null,
                  "PERENNIAL_ARTIFACT_BUCKET",
                  stack == null ? null : stack.artifactBucket(),
                  DEFAULT_ARTIFACT_BUCKET),
              stack == null ? null : stack.workerAddress(),
              pick(
                  null,
                  "PERENNIAL_SERVING_URL",
                  stack == null ? null : stack.servingAddress(),
                  "http://127.0.0.1:8080"),
              pick(
                  null,
                  "PERENNIAL_SERVING_MANAGEMENT_URL",
                  stack == null ? null : stack.servingManagementAddress(),
                  "http://127.0.0.1:8082"),
              stack == null ? null : stack.servingApiKey());
    }
    return resolved;
  }

  /** Uses these endpoints instead of resolving them (the demo's own stack). */
  void use(Endpoints endpoints) {
    this.resolved = endpoints;
  }

  WorkflowClient workflowClient() {
    Endpoints e = endpoints();
    if (service == null) {
      service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(e.temporalTarget())
                  .setRpcTimeout(Duration.ofSeconds(10))
                  .build());
    }
    return WorkflowClient.newInstance(
        service, WorkflowClientOptions.newBuilder().setNamespace(e.namespace()).build());
  }

  ObjectStore objectStore() {
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

  void close() {
    if (service != null) {
      service.shutdown();
    }
  }

  private static String pick(String option, String env, String stack, String fallback) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    String v = System.getenv(env);
    if (v != null && !v.isBlank()) {
      return v;
    }
    return stack != null ? stack : fallback;
  }
}
