package dev.perennial.starter.cli;

import dev.perennial.core.store.S3Settings;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.workflows.PerennialSearchAttributes;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The stack commands against MinIO and the Temporal dev server in containers, for machines with a
 * Docker engine; skipped where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerStackCommandsTest extends StackCommands {
  private static final String USER = "perennial";
  private static final String PASSWORD = "perennial-container-secret";

  @Container
  static final MinIOContainer MINIO =
      new MinIOContainer("minio/minio:RELEASE.2025-09-07T16-13-09Z")
          .withUserName(USER)
          .withPassword(PASSWORD);

  /** The Temporal CLI image running {@code temporal server start-dev}. */
  @Container
  static final GenericContainer<?> TEMPORAL =
      new GenericContainer<>("temporalio/temporal:1.5.1")
          .withCommand(devServerCommand())
          .withExposedPorts(7233)
          .waitingFor(Wait.forListeningPort());

  private static String[] devServerCommand() {
    List<String> command = new ArrayList<>(List.of("server", "start-dev", "--ip", "0.0.0.0"));
    for (var key : PerennialSearchAttributes.ALL) {
      command.add("--search-attribute");
      command.add(key.getName() + "=Keyword");
    }
    return command.toArray(String[]::new);
  }

  @Override
  DevStack.ServerChoice servers() {
    return DevStack.ServerChoice.EMBEDDED;
  }

  @Override
  DevStack.External external() {
    return new DevStack.External(
        new S3Settings(MINIO.getS3URL(), USER, PASSWORD, "us-east-1"),
        TEMPORAL.getHost() + ":" + TEMPORAL.getMappedPort(7233),
        "default");
  }

  @Override
  boolean schedulesSupported() {
    return true;
  }
}
