package dev.perennial.starter.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.perennial.core.store.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where Perennial's servers are. The command line resolves each value from its option, else the
 * environment, else the {@code stack.json} a running {@code perennial up} wrote into the data dir,
 * else the local default.
 *
 * @param temporalTarget Temporal frontend, host:port
 * @param namespace Temporal namespace
 * @param uiAddress Temporal Web UI, null when unknown or absent
 * @param s3Endpoint S3-compatible endpoint URL
 * @param s3Region S3 region
 * @param s3AccessKey S3 access key
 * @param s3SecretKey S3 secret key (never printed)
 * @param artifactBucket bucket of manifests, models, reports and the registry
 * @param workerAddress the worker's actuator base URL, null when unknown
 * @param servingAddress the model server's base URL, null when unknown
 * @param servingManagementAddress the model server's actuator base URL, null when unknown
 * @param servingApiKey an API key of the model server with both scopes (predict, feedback), null
 *     when unknown (never printed)
 */
public record Endpoints(
    String temporalTarget,
    String namespace,
    String uiAddress,
    String s3Endpoint,
    String s3Region,
    String s3AccessKey,
    String s3SecretKey,
    String artifactBucket,
    String workerAddress,
    String servingAddress,
    String servingManagementAddress,
    String servingApiKey) {

  public static final String STACK_FILE = "stack.json";
  public static final String DEFAULT_ARTIFACT_BUCKET = "perennial-artifacts";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The same servers plus where the stack's worker and model server listen, and the model server's
   * key.
   */
  public Endpoints withApps(
      String worker, String serving, String servingManagement, String apiKey) {
    return new Endpoints(
        temporalTarget,
        namespace,
        uiAddress,
        s3Endpoint,
        s3Region,
        s3AccessKey,
        s3SecretKey,
        artifactBucket,
        worker,
        serving,
        servingManagement,
        apiKey);
  }

  /** The properties that point the model server at the registry and artifacts. */
  public Map<String, Object> servingProperties() {
    return Map.of(
        "perennial.s3.endpoint", s3Endpoint,
        "perennial.s3.region", s3Region,
        "perennial.s3.access-key", s3AccessKey,
        "perennial.s3.secret-key", s3SecretKey,
        "perennial.artifact-bucket", artifactBucket);
  }

  public S3Settings s3Settings() {
    if (s3AccessKey == null || s3AccessKey.isBlank()) {
      throw new IllegalStateException(
          "No S3 credentials: set PERENNIAL_S3_ACCESS_KEY and PERENNIAL_S3_SECRET_KEY, or start"
              + " the embedded stack with `perennial up`");
    }
    return new S3Settings(s3Endpoint, s3AccessKey, s3SecretKey, s3Region);
  }

  /** The properties that point the worker application at these servers: S3 as the server's. */
  public Map<String, Object> workerProperties() {
    Map<String, Object> properties = new java.util.HashMap<>(servingProperties());
    properties.put("spring.temporal.connection.target", temporalTarget);
    properties.put("spring.temporal.namespace", namespace);
    return Map.copyOf(properties);
  }

  /**
   * Written by {@code up} (mode 0600: it holds the dev stack's generated S3 secret and model server
   * key).
   */
  public void write(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      Path file = dataDir.resolve(STACK_FILE);
      Files.write(file, JSON.writeValueAsBytes(this));
      Secrets.restrictToOwner(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(STACK_FILE), e);
    }
  }

  public static Endpoints readRunningStack(Path dataDir) {
    Path file = dataDir.resolve(STACK_FILE);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), Endpoints.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static void forget(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(STACK_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
