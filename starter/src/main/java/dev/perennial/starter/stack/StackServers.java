package dev.perennial.starter.stack;

import dev.perennial.core.store.S3Settings;
import dev.perennial.dev.s3.EmbeddedS3Server;
import dev.perennial.workflows.PerennialSearchAttributes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The stack's servers: S3 (configured, MinIO, or S3Proxy on the filesystem under the data dir) and
 * Temporal (configured, the dev server, or the Java test server). Closing stops the ones started
 * here, Temporal first.
 *
 * @param s3 the S3 server started here, null when configured
 * @param temporal the Temporal server started here, null when configured
 * @param s3Proxy whether S3 is the embedded S3Proxy (which needs writes serialized per key)
 * @param endpoints where they listen (no apps yet)
 */
record StackServers(AutoCloseable s3, TemporalServer temporal, boolean s3Proxy, Endpoints endpoints)
    implements AutoCloseable {

  /**
   * Starts what {@code external} does not provide, as {@code choice} says; prints what it uses to
   * {@code out}. On failure, what was started is stopped again.
   */
  static StackServers start(
      Path dataDir,
      DevStack.Ports ports,
      DevStack.External external,
      DevStack.ServerChoice choice,
      PrintWriter out)
      throws Exception {
    AutoCloseable s3 = null;
    TemporalServer temporal = null;
    try {
      S3Settings s3Settings;
      boolean s3Proxy = false;
      if (external.s3() != null) {
        s3Settings = external.s3();
        out.printf("S3:       %s (configured)%n", s3Settings.endpoint());
      } else {
        String[] credentials = Secrets.embeddedS3Credentials(dataDir);
        Optional<Path> minio = installed(choice, MinioServer.findBinary(), "minio");
        if (minio.isPresent()) {
          MinioServer server =
              MinioServer.start(
                  minio.get(),
                  dataDir.resolve("minio"),
                  DevStack.Ports.orFree(ports.s3()),
                  DevStack.Ports.orFree(ports.s3Console()),
                  credentials[0],
                  credentials[1]);
          s3 = server;
          s3Settings = server.settings();
          out.printf(
              "S3:       %s, %s, data in %s (console %s)%n",
              s3Settings.endpoint(), server.kind(), dataDir.resolve("minio"), server.console());
        } else {
          EmbeddedS3Server server =
              EmbeddedS3Server.start(
                  dataDir.resolve("s3"), ports.s3(), credentials[0], credentials[1]);
          s3 = server;
          s3Proxy = true;
          s3Settings = server.settings();
          out.printf(
              "S3:       %s (S3Proxy, files under %s; install MinIO with"
                  + " infra/local/install-servers.sh)%n",
              s3Settings.endpoint(), dataDir.resolve("s3"));
        }
      }
      out.flush();
      String target;
      String ui = null;
      if (external.temporalTarget() != null) {
        target = external.temporalTarget();
        out.printf("Temporal: %s (configured, namespace %s)%n", target, external.namespace());
      } else {
        temporal =
            TemporalServer.start(
                dataDir.resolve("temporal"),
                DevStack.Ports.orFree(ports.temporal()),
                DevStack.Ports.orFree(ports.temporalUi()),
                PerennialSearchAttributes.ALL.stream().map(k -> k.getName()).toList(),
                installed(choice, TemporalServer.findCli(), "temporal"));
        target = temporal.target();
        ui = temporal.uiAddress();
        out.printf("Temporal: %s, %s%n", target, temporal.kind());
        if (ui != null) {
          out.printf("Web UI:   %s%n", ui);
        }
      }
      out.flush();
      Endpoints endpoints =
          new Endpoints(
              target,
              external.namespace(),
              ui,
              s3Settings.endpoint(),
              s3Settings.region(),
              s3Settings.accessKey(),
              s3Settings.secretKey(),
              Endpoints.DEFAULT_ARTIFACT_BUCKET,
              null,
              null,
              null,
              null);
      return new StackServers(s3, temporal, s3Proxy, endpoints);
    } catch (Exception | Error e) {
      DevStack.closeQuietly(temporal);
      DevStack.closeQuietly(s3);
      throw e;
    }
  }

  private static Optional<Path> installed(
      DevStack.ServerChoice choice, Optional<Path> found, String name) {
    return switch (choice) {
      case EMBEDDED -> Optional.empty();
      case AUTO -> found;
      case INSTALLED ->
          Optional.of(
              found.orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no `"
                              + name
                              + "` binary on the PATH: install the real servers with"
                              + " infra/local/install-servers.sh")));
    };
  }

  @Override
  public void close() {
    DevStack.closeQuietly(temporal);
    DevStack.closeQuietly(s3);
  }
}
