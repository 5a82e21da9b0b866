package dev.perennial.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.dev.s3.EmbeddedS3Server;
import dev.perennial.workflows.dataset.DatasetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checked local dataset uploaded to S3 and listed back, without the command line. */
class DatasetsTest {
  static final String SCHEMA =
      """
      {"name":"churn","label":"churned","features":[{"name":"tenure","type":"NUMERIC"}]}
      """;

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @Test
  void uploadStoresEachFileAndListGroupsThemByDay(@TempDir Path dir, @TempDir Path s3)
      throws Exception {
    write(dir.resolve("_schema.json"), SCHEMA);
    write(dir.resolve("dt=2026-01-01/part-0.csv"), "tenure,churned\n12,0\n");
    write(dir.resolve("dt=2026-01-01/part-1.csv"), "tenure,churned\n40,1\n");
    write(dir.resolve("dt=2026-01-03/part-0.csv"), "tenure,churned\n3,1\n");
    LocalDataset dataset = LocalDataset.check(dir);
    assertThat(dataset.problems()).isEmpty();
    try (EmbeddedS3Server server =
        EmbeddedS3Server.start(s3, 0, "test-access", "test-secret-key")) {
      ObjectStore store = ObjectStores.open(server.settings(), false);
      DatasetSpec at = DatasetSpec.forModel("churn");

      List<Datasets.Stored> handed = new ArrayList<>();
      Datasets.Upload upload = Datasets.upload(store, at, dataset, handed::add);

      assertThat(upload.objects())
          .isEqualTo(handed)
          .extracting(Datasets.Stored::key)
          .containsExactly(
              "churn/_schema.json",
              "churn/dt=2026-01-01/part-0.csv",
              "churn/dt=2026-01-01/part-1.csv",
              "churn/dt=2026-01-03/part-0.csv");
      assertThat(upload.bytes()).isEqualTo(Files.size(dir.resolve("_schema.json")) + 20 + 20 + 19);
      assertThat(upload.partitions()).isEqualTo(2);

      store.putFile("perennial-data", "churn/notes.txt", dir.resolve("_schema.json"), "text/plain");
      Datasets.Listing listing = Datasets.list(store, at);
      assertThat(listing.empty()).isFalse();
      assertThat(listing.schema().label()).isEqualTo("churned");
      assertThat(listing.schemaProblem()).isNull();
      assertThat(listing.days())
          .containsExactly(
              java.util.Map.entry("2026-01-01", new Datasets.Day(2, 40)),
              java.util.Map.entry("2026-01-03", new Datasets.Day(1, 19)));
      assertThat(listing.other()).isEqualTo(1);
      assertThat(Datasets.list(store, DatasetSpec.forModel("other")).empty()).isTrue();
    }
  }
}
