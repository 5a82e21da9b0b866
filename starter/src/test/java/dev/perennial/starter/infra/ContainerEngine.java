package dev.perennial.starter.infra;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A Docker engine with the images infra/images/build.sh builds, for the tests that run them
 * (compose, Testcontainers; annotated {@link ContainerImages}). Where the engine or an image is
 * missing such a test is skipped, saying which and how to get it, unless {@code
 * PERENNIAL_CONTAINERS=required}: .ci/run sets that once it has started an engine and built the
 * images, and then a missing one fails the test.
 *
 * <p>Image names: {@code perennial.image.NAME} (system property), else {@code
 * PERENNIAL_IMAGE_PREFIX} (default {@code perennial/}) + NAME + ":" + {@code PERENNIAL_IMAGE_TAG}
 * (default {@code local}), as build.sh tags them.
 */
public final class ContainerEngine {
  private ContainerEngine() {}

  /** The image build.sh builds as {@code name} (worker, serving, cli, temporal, minio). */
  public static String image(String name) {
    String explicit = System.getProperty("perennial.image." + name);
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    return env("PERENNIAL_IMAGE_PREFIX", "perennial/")
        + name
        + ":"
        + env("PERENNIAL_IMAGE_TAG", "local");
  }

  /**
   * Checks that an engine answers and that {@code images} (names for {@link #image}) exist locally;
   * skips or fails the test otherwise.
   */
  public static void require(String... images) {
    whatIsMissing(images).ifPresent(ContainerEngine::missing);
  }

  /** What of the engine and {@code images} is missing, if anything, and how to get it. */
  static Optional<String> whatIsMissing(String... images) {
    Optional<Path> docker = onPath("docker");
    if (docker.isEmpty()) {
      return Optional.of("the docker client (apt-get install docker.io)");
    }
    Result version =
        run(
            List.of(docker.get().toString(), "version", "--format", "{{.Server.Version}}"),
            Map.of(),
            1);
    if (version.code() != 0) {
      return Optional.of(
          "a Docker engine at "
              + env("DOCKER_HOST", "the default socket")
              + " (infra/images/start-docker.sh starts one: docs/operations.md, Container images): "
              + version.output().strip());
    }
    for (String name : images) {
      String image = image(name);
      if (run(List.of(docker.get().toString(), "image", "inspect", image), Map.of(), 1).code()
          != 0) {
        return Optional.of("the image " + image + " (infra/images/build.sh builds it)");
      }
    }
    return Optional.empty();
  }

  static boolean required() {
    return "required".equals(System.getenv("PERENNIAL_CONTAINERS"));
  }

  /**
   * Disables a test class annotated {@link ContainerImages} where the engine or an image is
   * missing, with the reason in the report; enabled when {@code PERENNIAL_CONTAINERS=required}, so
   * that {@link #require} then fails it instead.
   */
  static final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Optional<ContainerImages> images =
          AnnotationSupport.findAnnotation(context.getElement(), ContainerImages.class);
      if (images.isEmpty() || required()) {
        return ConditionEvaluationResult.enabled("containers required or not needed");
      }
      return whatIsMissing(images.get().value())
          .map(
              what ->
                  ConditionEvaluationResult.disabled(
                      "not available: " + what + " (PERENNIAL_CONTAINERS=required fails instead)"))
          .orElse(ConditionEvaluationResult.enabled("engine and images present"));
    }
  }

  /** {@code docker compose} (the plugin) or {@code docker-compose} (v1), whichever is installed. */
  public static List<String> compose() {
    Optional<Path> docker = onPath("docker");
    if (docker.isPresent()
        && run(List.of(docker.get().toString(), "compose", "version"), Map.of(), 1).code() == 0) {
      return List.of(docker.get().toString(), "compose");
    }
    Optional<Path> v1 = onPath("docker-compose");
    if (v1.isEmpty()) {
      missing("docker compose or docker-compose (apt-get install docker-compose)");
    }
    return List.of(v1.get().toString());
  }

  /** What a finished command said. */
  public record Result(int code, String output) {}

  /**
   * Runs {@code command} in the repository's root with {@code env} added to this process's
   * environment, stdout and stderr together; fails the test if it takes more than {@code minutes}.
   */
  public static Result run(List<String> command, Map<String, String> env, int minutes) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(InfraTools.ROOT.toFile())
              .redirectErrorStream(true);
      builder.environment().putAll(env);
      Process p = builder.start();
      p.getOutputStream().close();
      // Read while it runs: a full pipe would block the command.
      var out = new java.io.ByteArrayOutputStream();
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      p.getInputStream().transferTo(out);
                    } catch (IOException e) {
                      // the process ended
                    }
                  });
      if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        reader.join(5_000);
        fail(
            command
                + " did not finish within "
                + minutes
                + " minutes: "
                + out.toString(StandardCharsets.UTF_8));
      }
      reader.join();
      return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void missing(String what) {
    if (required()) {
      fail("PERENNIAL_CONTAINERS=required, but " + what + " is missing");
    }
    assumeTrue(
        false, "not available: " + what + " (set PERENNIAL_CONTAINERS=required to fail instead)");
  }

  private static Optional<Path> onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir).resolve(tool);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
