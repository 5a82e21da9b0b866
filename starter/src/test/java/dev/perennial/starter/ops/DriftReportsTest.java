package dev.perennial.starter.ops;

import static dev.perennial.starter.ops.CannedDriftMonitor.MODEL;
import static dev.perennial.starter.ops.CannedDriftMonitor.TWO_CHECKS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.Json;
import dev.perennial.core.store.MinioObjectStore;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.dev.s3.EmbeddedS3Server;
import dev.perennial.starter.ops.DriftReports.Checks;
import dev.perennial.starter.ops.DriftReports.NoMonitor;
import dev.perennial.workflows.drift.DriftMonitorRequest;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.FeatureDrift;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link DriftReports}: a monitor's kept checks from Temporal, the latest report from S3. */
class DriftReportsTest {
  static final String BUCKET = "perennial-artifacts";
  static final String LATEST_JSON = "drift/credit-default/2026-03-10T12:00:00Z/report.json";

  @RegisterExtension final CannedMonitorServer server = new CannedMonitorServer();
  WorkflowClient client;

  @BeforeEach
  void up() {
    client = server.client();
  }

  static DriftReport report() {
    FeatureDrift income =
        new FeatureDrift(
            "income",
            "NUMERIC",
            4388,
            0.0,
            0.0,
            0.41,
            0.3,
            1e-12,
            null,
            null,
            0.2,
            1520.0,
            35.0,
            true,
            true,
            "PSI 0.41 >= 0.20",
            List.of(),
            List.of(),
            List.of());
    return new DriftReport(
        MODEL,
        3,
        "2026-03-10T11:00:00Z",
        "2026-03-10T12:00:00Z",
        4388,
        0,
        List.of(income),
        null,
        null,
        null,
        null);
  }

  @Test
  void withoutAMonitorThereIsNothingToRead() {
    assertThat(DriftReports.checks(client, "nothing-here", null))
        .isEqualTo(new NoMonitor("nothing-here"));
  }

  @Test
  void theLatestChecksReportIsReadWhenAStoreIsGiven(@TempDir Path s3) throws Exception {
    Monitors.start(client, DriftMonitorRequest.of(MODEL));
    try (EmbeddedS3Server server =
        EmbeddedS3Server.start(s3, 0, "test-access", "test-secret-key")) {
      ObjectStore store = ObjectStores.open(server.settings(), false);
      store.ensureBucket(BUCKET);
      store.put(BUCKET, LATEST_JSON, Json.write(report()), "application/json");

      Checks without = (Checks) DriftReports.checks(client, MODEL, null);
      assertThat(without.state()).isEqualTo(TWO_CHECKS);
      assertThat(without.latest()).isEqualTo(CannedDriftMonitor.BREACH);
      assertThat(without.recent()).hasSize(2);
      assertThat(without.figures()).isNull();

      Checks with = (Checks) DriftReports.checks(client, MODEL, store);
      assertThat(with.figures()).isEqualTo(report());

      store.put(BUCKET, LATEST_JSON, "not json".getBytes(), "application/json");
      assertThat(((Checks) DriftReports.checks(client, MODEL, store)).figures()).isNull();
    }
  }

  @Test
  void aFreshMonitorHasNoLatestCheck() {
    Monitors.start(client, DriftMonitorRequest.of("fresh-model"));
    Checks checks = (Checks) DriftReports.checks(client, "fresh-model", null);
    assertThat(checks.recent()).isEmpty();
    assertThat(checks.latest()).isNull();
  }

  @Test
  void s3LinksAreSignedAndOtherLinksAreNot(@TempDir Path s3) throws Exception {
    try (EmbeddedS3Server server = EmbeddedS3Server.start(s3, 0, "test-access", "test-secret-key");
        MinioObjectStore signer = ObjectStores.client(server.settings())) {
      var links = DriftReports.links(signer);
      assertThat(links.apply("s3://" + BUCKET + "/" + LATEST_JSON))
          .startsWith(
              server.endpoint()
                  + "/perennial-artifacts/drift/credit-default/2026-03-10T12%3A00%3A00Z/report.json?")
          .contains("X-Amz-Expires=3600", "X-Amz-Signature=");
      assertThat(links.apply("https://example.com/report.html")).isNull();
      assertThat(links.apply("s3://bucket-only/")).isNull();
      assertThat(DriftReports.links(null).apply("s3://" + BUCKET + "/" + LATEST_JSON)).isNull();
    }
  }
}
