package dev.perennial.starter;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests on the real Temporal dev server and MinIO run where they are installed, are skipped on a
 * developer machine without them, and fail in CI (CI=true), whose .ci/run installs them.
 */
final class RealServers {
  private RealServers() {}

  static void assumeInstalled() {
    boolean temporal = TemporalServer.findCli().isPresent();
    boolean minio = MinioServer.findBinary().isPresent();
    if (temporal && minio) {
      return;
    }
    String missing = (temporal ? "" : "temporal ") + (minio ? "" : "minio");
    if ("true".equals(System.getenv("CI"))) {
      fail(
          "CI requires the real servers but "
              + missing.trim()
              + " is not on the PATH: .ci/run installs them with infra/local/install-servers.sh");
    }
    assumeTrue(false, "not installed: " + missing.trim() + " (infra/local/install-servers.sh)");
  }
}
