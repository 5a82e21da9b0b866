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
import java.util.concurrent.TimeUnit;

/**
 * The tools infra/local/install-tools.sh installs (prometheus, promtool, helm), found on the PATH
 * (./verify and .ci/run put infra/local/bin first on it): a test needing one is skipped where it is
 * missing, and fails in CI (CI=true), whose .ci/run installs them.
 */
final class InfraTools {
  /** The repository's root: the tests run in the starter module's directory. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private InfraTools() {}

  /** The tool's executable on the PATH; skips or fails the test without it. */
  static Path require(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir).resolve(tool);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String what = tool + " (.ci/run installs it with infra/local/install-tools.sh)";
    if ("true".equals(System.getenv("CI"))) {
      fail("CI requires " + what + ", which is missing");
    }
    assumeTrue(false, "not installed: " + what);
    throw new AssertionError("unreachable");
  }

  /** What a finished command said. */
  record Result(int code, String output) {}

  /** Runs {@code command} in the repository's root, stdout and stderr together. */
  static Result run(List<String> command) {
    try {
      Process p =
          new ProcessBuilder(new ArrayList<>(command))
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail(command + " did not finish within 5 minutes: " + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
