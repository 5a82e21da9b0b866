package dev.perennial.starter.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.perennial.starter.stack.InstalledBinaries;
import dev.perennial.starter.stack.MinioServer;
import dev.perennial.starter.stack.TemporalServer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tests on the real Temporal dev server, MinIO and Chromium run where they are installed, are
 * skipped on a developer machine without them, and fail in CI (CI=true), whose .ci/run installs
 * them.
 */
public final class RealServers {
  private RealServers() {}

  static final Path CHROMIUM = Path.of(env("PERENNIAL_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(env("PERENNIAL_CHROMEDRIVER", "/usr/bin/chromedriver"));

  public static void assumeInstalled() {
    boolean temporal = TemporalServer.findCli().isPresent();
    boolean minio = MinioServer.findBinary().isPresent();
    require(
        temporal && minio,
        ((temporal ? "" : "temporal ") + (minio ? "" : "minio")).trim()
            + " (.ci/run installs them with infra/local/install-servers.sh)");
  }

  /**
   * MinIO's client {@code mc} ({@code PERENNIAL_MC} or the PATH; infra/local/install-servers.sh
   * builds it), checked to be MinIO's and not another program of that name.
   */
  public static Path minioClient() {
    Path mc = InstalledBinaries.find("PERENNIAL_MC", "mc").orElse(null);
    boolean minios = false;
    if (mc != null) {
      try {
        Process p =
            new ProcessBuilder(mc.toString(), "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes());
        minios = p.waitFor() == 0 && version.contains("MinIO");
      } catch (java.io.IOException e) {
        minios = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    require(minios, "MinIO's client mc (.ci/run installs it with infra/local/install-servers.sh)");
    return mc;
  }

  /** Debian's chromium and chromedriver, or the paths in PERENNIAL_CHROMIUM / _CHROMEDRIVER. */
  static void assumeBrowser() {
    require(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
  }

  private static void require(boolean present, String what) {
    if (present) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("CI requires " + what + ", which is missing");
    }
    assumeTrue(false, "not installed: " + what);
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
