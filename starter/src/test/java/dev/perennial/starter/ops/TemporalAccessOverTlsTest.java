package dev.perennial.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.dev.testing.TestCertificates;
import dev.perennial.dev.testing.TlsTerminator;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's Temporal settings against a server that speaks only TLS and demands a client
 * certificate: a TLS-terminating front with a private authority before a Temporal test server. The
 * right settings get through; each missing or wrong one is refused at the handshake.
 */
class TemporalAccessOverTlsTest {
  @TempDir static Path dir;
  static TestServer.PortBoundTestServer temporal;
  static TestCertificates ca;
  static TestCertificates otherCa;
  static TlsTerminator front;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    temporal = TestServer.createPortBoundServer(port, true);
    ca = TestCertificates.authority(dir, "perennial-test-ca");
    ca.server("temporal-front");
    ca.client("perennial-cli");
    Path other = Files.createDirectories(dir.resolve("other"));
    otherCa = TestCertificates.authority(other, "someone-else");
    otherCa.client("intruder");
    front = TlsTerminator.start(ca.keyStore("temporal-front"), ca.trustStore(), port);
  }

  @AfterAll
  static void stop() throws Exception {
    if (front != null) {
      front.close();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void theAuthorityAndAClientCertificateItSignedGetThrough() {
    Map<String, String> env = new HashMap<>();
    env.put(TemporalAccess.TLS_CA, ca.caPem().toString());
    env.put(TemporalAccess.TLS_CERT, ca.pem("perennial-cli").toString());
    env.put(TemporalAccess.TLS_KEY, ca.key("perennial-cli").toString());
    int before = front.handshakes().size();

    assertThat(call(TemporalAccess.from(env)).getServerVersion()).isNotNull();

    assertThat(front.handshakes().subList(before, front.handshakes().size()))
        .isNotEmpty()
        .allSatisfy(h -> assertThat(h.client()).isEqualTo("CN=perennial-cli"));
  }

  @Test
  void withoutAClientCertificateTheHandshakeIsRefused() {
    TemporalAccess access =
        TemporalAccess.from(Map.of(TemporalAccess.TLS_CA, ca.caPem().toString()));
    int before = front.handshakes().size();

    assertThatThrownBy(() -> call(access)).isInstanceOf(StatusRuntimeException.class);

    assertThat(front.handshakes().subList(before, front.handshakes().size()))
        .isNotEmpty()
        .allSatisfy(h -> assertThat(h.failure()).isNotNull());
  }

  @Test
  void aClientCertificateFromAnotherAuthorityIsRefused() {
    Map<String, String> env = new HashMap<>();
    env.put(TemporalAccess.TLS_CA, ca.caPem().toString());
    env.put(TemporalAccess.TLS_CERT, otherCa.pem("intruder").toString());
    env.put(TemporalAccess.TLS_KEY, otherCa.key("intruder").toString());

    assertThatThrownBy(() -> call(TemporalAccess.from(env)))
        .isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void aServerTheGivenAuthorityDidNotSignIsNotTrusted() {
    Map<String, String> env = new HashMap<>();
    env.put(TemporalAccess.TLS_CA, otherCa.caPem().toString());
    env.put(TemporalAccess.TLS_CERT, ca.pem("perennial-cli").toString());
    env.put(TemporalAccess.TLS_KEY, ca.key("perennial-cli").toString());

    assertThatThrownBy(() -> call(TemporalAccess.from(env)))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(messages(e)).containsIgnoringCase("certification path"));
  }

  @Test
  void plainTextToTheTlsFrontFails() {
    assertThatThrownBy(() -> call(TemporalAccess.PLAIN)).isInstanceOf(StatusRuntimeException.class);
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  /** What the command line does with these settings: its stub options, one call. */
  private static io.temporal.api.workflowservice.v1.GetSystemInfoResponse call(
      TemporalAccess access) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            access
                .applyTo(
                    WorkflowServiceStubsOptions.newBuilder()
                        .setTarget(front.target())
                        .setRpcTimeout(Duration.ofSeconds(10)))
                .build());
    try {
      return service
          .blockingStub()
          .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } finally {
      service.shutdownNow();
    }
  }
}
