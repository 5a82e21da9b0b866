package dev.perennial.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporalAccessTest {
  @TempDir Path dir;

  private static WorkflowServiceStubsOptions applied(TemporalAccess access) {
    return access
        .applyTo(WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:7233"))
        .build();
  }

  @Test
  void nothingSetIsAPlainConnection() {
    TemporalAccess access = TemporalAccess.from(Map.of(TemporalAccess.TLS, " "));
    assertThat(access).isEqualTo(TemporalAccess.PLAIN);
    WorkflowServiceStubsOptions options = applied(access);
    assertThat(options.getSslContext()).isNull();
    assertThat(options.getGrpcMetadataProviders()).isNullOrEmpty();
  }

  @Test
  void anApiKeyGoesOverTlsAndIsNeverPrinted() {
    TemporalAccess access = TemporalAccess.from(Map.of(TemporalAccess.API_KEY, "s3cr3t-key"));
    assertThat(access.tls()).isTrue();
    WorkflowServiceStubsOptions options = applied(access);
    assertThat(options.getSslContext()).isNotNull();
    assertThat(options.getGrpcMetadataProviders()).hasSize(1);
    assertThat(access.toString()).doesNotContain("s3cr3t-key").contains("apiKey=set");
  }

  @Test
  void tlsAloneTrustsTheJvmsCertificates() {
    WorkflowServiceStubsOptions options =
        applied(TemporalAccess.from(Map.of(TemporalAccess.TLS, "TRUE")));
    assertThat(options.getSslContext()).isNotNull();
    assertThat(options.getSslContext().isClient()).isTrue();
  }

  @Test
  void aTlsFlagThatIsNotABooleanIsNamed() {
    assertThatThrownBy(() -> TemporalAccess.from(Map.of(TemporalAccess.TLS, "yes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PERENNIAL_TEMPORAL_TLS must be true or false, not 'yes'");
  }

  @Test
  void aClientCertificateWithoutItsKeyIsRefusedNamingBoth() {
    assertThatThrownBy(() -> TemporalAccess.from(Map.of(TemporalAccess.TLS_CERT, "client.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "mutual TLS needs both PERENNIAL_TEMPORAL_TLS_CERT and PERENNIAL_TEMPORAL_TLS_KEY;"
                + " only PERENNIAL_TEMPORAL_TLS_CERT is set");
  }

  @Test
  void aMissingCertificateFileIsNamedWithItsVariable() {
    TemporalAccess access =
        TemporalAccess.from(
            Map.of(
                TemporalAccess.TLS_CERT,
                dir.resolve("client.pem").toString(),
                TemporalAccess.TLS_KEY,
                dir.resolve("client.key").toString()));
    assertThatThrownBy(() -> applied(access))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PERENNIAL_TEMPORAL_TLS_CERT names " + dir.resolve("client.pem"))
        .hasMessageContaining("which does not exist");
  }

  @Test
  void aCaFileWithoutACertificateIsRefused() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    TemporalAccess access = TemporalAccess.from(Map.of(TemporalAccess.TLS_CA, ca.toString()));
    assertThat(access.tls()).isTrue();
    assertThatThrownBy(() -> applied(access))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "cannot set up TLS to Temporal from PERENNIAL_TEMPORAL_TLS and"
                + " PERENNIAL_TEMPORAL_TLS_CA");
  }

  @Test
  void aPemCaIsTrusted() throws Exception {
    // A self-signed certificate from the JDK's keytool, exported as PEM.
    Path keystore = dir.resolve("ca.p12");
    Path ca = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=temporal.test",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        ca.toString());
    assertThat(Files.readString(ca)).startsWith("-----BEGIN CERTIFICATE-----");
    WorkflowServiceStubsOptions options =
        applied(TemporalAccess.from(Map.of(TemporalAccess.TLS_CA, ca.toString())));
    assertThat(options.getSslContext()).isNotNull();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
  }
}
