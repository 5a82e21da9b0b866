package dev.perennial.starter.cli;

import dev.perennial.core.store.S3Settings;
import dev.perennial.starter.infra.ContainerEngine;
import dev.perennial.starter.infra.ContainerImages;
import dev.perennial.starter.stack.DevStack;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The stack commands against MinIO and the Temporal dev server in containers started by
 * Testcontainers, on the images infra/images/build.sh builds (names: {@link
 * ContainerEngine#image}). Host networking, as everything here: each server listens on a free port
 * of the host's loopback, and is waited for by its image's health check. Skipped without an engine
 * or the images.
 */
@ContainerImages({"temporal", "minio"})
class ContainerStackCommandsTest extends StackCommands {
  private static final String USER = "perennial";
  private static final String PASSWORD = "perennial-container-secret";

  private GenericContainer<?> minio;
  private GenericContainer<?> temporal;

  @Override
  DevStack.ServerChoice servers() {
    return DevStack.ServerChoice.EMBEDDED;
  }

  @Override
  DevStack.External external() {
    ContainerEngine.require("temporal", "minio");
    int s3Port = freePort();
    int temporalPort = freePort();
    minio =
        onHostNetwork(ContainerEngine.image("minio"))
            .withEnv("MINIO_ROOT_USER", USER)
            .withEnv("MINIO_ROOT_PASSWORD", PASSWORD)
            .withEnv("MINIO_ADDRESS", "127.0.0.1:" + s3Port)
            .withEnv("MINIO_CONSOLE_ADDRESS", "127.0.0.1:" + freePort());
    // The image registers Perennial's search attributes itself.
    temporal =
        onHostNetwork(ContainerEngine.image("temporal"))
            .withEnv("TEMPORAL_PORT", Integer.toString(temporalPort))
            .withEnv("TEMPORAL_UI_PORT", Integer.toString(freePort()));
    minio.start();
    temporal.start();
    return new DevStack.External(
        new S3Settings("http://127.0.0.1:" + s3Port, USER, PASSWORD, "us-east-1"),
        "127.0.0.1:" + temporalPort,
        "default");
  }

  @Override
  @AfterAll
  void down() {
    super.down();
    for (GenericContainer<?> c : new GenericContainer<?>[] {temporal, minio}) {
      if (c != null) {
        c.stop();
      }
    }
  }

  private static GenericContainer<?> onHostNetwork(String image) {
    return new GenericContainer<>(image)
        .withNetworkMode("host")
        .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(2)));
  }

  private static int freePort() {
    try {
      return DevStack.freePort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  boolean schedulesSupported() {
    return true;
  }
}
