package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.dev.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model server answering over TLS with the settings docs/operations.md gives (Spring Boot's
 * {@code server.ssl.*}, a PKCS#12 key store): API keys then never cross the wire in plain text.
 */
class ServingTlsTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  @TempDir static Path dir;
  static TestCertificates ca;
  static ServingFixture fixture;
  static String https;

  @BeforeAll
  static void start() {
    ca = TestCertificates.authority(dir, "perennial-test-ca");
    ca.server("model-server");
    fixture =
        ServingFixture.start(
            S3,
            dir.resolve("spool"),
            Map.of(
                "server.ssl.enabled",
                "true",
                "server.ssl.key-store",
                ca.p12("model-server").toString(),
                "server.ssl.key-store-password",
                TestCertificates.PASSWORD,
                "server.ssl.key-store-type",
                "PKCS12"));
    https = fixture.base().replace("http://", "https://");
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aClientTrustingTheAuthorityPredictsOverTls() throws Exception {
    HttpResponse<String> response =
        trusting().send(predict(https), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).contains("\"probability\"");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefusedAtTheHandshake() {
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .send(predict(https), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void plainHttpIsNotServed() throws Exception {
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newHttpClient()
              .send(predict(fixture.base()), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return; // the connection was dropped: nothing was served
    }
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("probability");
  }

  @Test
  void theManagementPortSpeaksTlsToo() throws Exception {
    String management = fixture.management().replace("http://", "https://");

    HttpResponse<String> health =
        trusting()
            .send(
                HttpRequest.newBuilder(URI.create(management + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(health.statusCode()).isEqualTo(200);
  }

  private static HttpClient trusting() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(ca.trustStore());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  private static HttpRequest predict(String base) {
    return HttpRequest.newBuilder(
            URI.create(base + "/v1/models/" + ServingFixture.MODEL + "/predict"))
        .header("Authorization", "Bearer " + ServingFixture.KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ServingFixture.ROW))
        .build();
  }
}
