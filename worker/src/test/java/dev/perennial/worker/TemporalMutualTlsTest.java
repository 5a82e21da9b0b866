package dev.perennial.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.dev.testing.TestCertificates;
import dev.perennial.dev.testing.TlsTerminator;
import dev.perennial.worker.testpipeline.GreetingPipeline;
import dev.perennial.workflows.TaskQueues;
import dev.perennial.workflows.pipeline.ContinuousTrainingResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worker reaches Temporal over mutual TLS with the settings docs/operations.md gives: a
 * TLS-terminating front that demands a client certificate from a private authority stands between
 * it and the server, and the worker's only way to Temporal is through it.
 */
class TemporalMutualTlsTest {
  @TempDir static Path dir;
  static TestServers servers;
  static TestCertificates ca;
  static TlsTerminator front;

  @BeforeAll
  static void start() throws Exception {
    servers = new TestServers(dir);
    ca = TestCertificates.authority(dir, "perennial-test-ca");
    ca.server("temporal-front");
    ca.client("perennial-worker");
    front =
        TlsTerminator.start(ca.keyStore("temporal-front"), ca.trustStore(), servers.temporalPort);
  }

  @AfterAll
  static void stop() throws Exception {
    if (front != null) {
      front.close();
    }
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void withItsClientCertificateTheWorkerRunsPipelinesThroughTheTlsFront() throws Exception {
    Map<String, Object> props = servers.workerProperties();
    props.put("spring.temporal.connection.target", front.target());
    props.put("spring.temporal.connection.mtls.key-file", ca.key("perennial-worker").toString());
    props.put(
        "spring.temporal.connection.mtls.cert-chain-file", ca.pem("perennial-worker").toString());
    // The starter has no setting for a private authority; a deployment adds it to the JVM's trust
    // store (docs/operations.md). Here the front's certificate is taken as it is, and what is
    // tested is the client side: the certificate the worker presents.
    props.put("spring.temporal.connection.mtls.insecure-trust-manager", "true");
    try (ConfigurableApplicationContext worker = WorkerApplication.start(props)) {
      ContinuousTrainingResult result =
          servers.run(GreetingPipeline.TYPE, TaskQueues.PIPELINES, "tls");
      assertThat(result.message()).isEqualTo("hello from the class path, tls");
    }
    assertThat(front.handshakes())
        .isNotEmpty()
        .allSatisfy(
            h -> {
              assertThat(h.failure()).isNull();
              assertThat(h.client()).isEqualTo("CN=perennial-worker");
            });
  }
}
