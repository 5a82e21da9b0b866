package dev.perennial.starter.stack;

import io.temporal.testing.TemporalDevServer;
import io.temporal.testing.TemporalDevServerOptions;
import io.temporal.testserver.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Temporal server of the embedded stack: the real dev server (Web UI, SQLite file under the
 * data dir) when a {@code temporal} CLI binary is installed, otherwise the Java test server. The
 * binary is never downloaded.
 */
public final class TemporalServer implements AutoCloseable {
  /** Environment variable naming the {@code temporal} CLI binary. */
  public static final String CLI_ENV = "PERENNIAL_TEMPORAL_CLI";

  private final String kind;
  private final String target;
  private final String uiAddress;
  private final AutoCloseable handle;

  private TemporalServer(String kind, String target, String uiAddress, AutoCloseable handle) {
    this.kind = kind;
    this.target = target;
    this.uiAddress = uiAddress;
    this.handle = handle;
  }

  /**
   * Starts a server on 127.0.0.1.
   *
   * @param dataDir where the dev server keeps its SQLite file
   * @param port frontend gRPC port
   * @param uiPort Web UI port (dev server only)
   * @param searchAttributes keyword search attributes to pre-register on the dev server
   * @param cli the {@code temporal} binary for the dev server; empty for the Java test server
   */
  public static TemporalServer start(
      Path dataDir, int port, int uiPort, List<String> searchAttributes, Optional<Path> cli)
      throws Exception {
    if (cli.isPresent()) {
      Files.createDirectories(dataDir);
      List<String> extra = new ArrayList<>();
      for (String name : searchAttributes) {
        extra.add("--search-attribute");
        extra.add(name + "=Keyword");
      }
      TemporalDevServer server =
          TemporalDevServer.start(
              TemporalDevServerOptions.newBuilder()
                  .setExistingPath(cli.get().toString())
                  .setDownloadEnabled(false)
                  .setIp("127.0.0.1")
                  .setPort(port)
                  .setUi(true)
                  .setUiPort(uiPort)
                  .setDatabaseFilename(dataDir.resolve("temporal.db").toString())
                  .setLogFile(dataDir.resolve("temporal-server.log").toString())
                  .setStartupTimeout(Duration.ofSeconds(60))
                  .setExtraArgs(extra)
                  .build());
      return new TemporalServer(
          "Temporal dev server (" + cli.get() + ", SQLite " + dataDir.resolve("temporal.db") + ")",
          server.getTarget(),
          "http://127.0.0.1:" + uiPort,
          server);
    }
    // lockTimeSkipping=true: the embedded server keeps real time, like a real cluster.
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
    return new TemporalServer(
        "Java test server (in memory; no `temporal` CLI found in $"
            + CLI_ENV
            + " or PATH, install it with infra/local/install-servers.sh for the Web UI)",
        "127.0.0.1:" + port,
        null,
        server);
  }

  /** The {@code temporal} binary from {@value #CLI_ENV} or the PATH, if any. */
  public static Optional<Path> findCli() {
    return InstalledBinaries.find(CLI_ENV, "temporal");
  }

  public String kind() {
    return kind;
  }

  public String target() {
    return target;
  }

  /** Web UI address, null for the Java test server. */
  public String uiAddress() {
    return uiAddress;
  }

  @Override
  public void close() throws Exception {
    handle.close();
  }
}
