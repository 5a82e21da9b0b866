package dev.perennial.starter.cli;

import static dev.perennial.starter.cli.PerennialCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.dev.s3.EmbeddedS3Server;
import dev.perennial.starter.cli.PerennialCommandTest.Run;
import dev.perennial.starter.ops.LocalDataset;
import dev.perennial.workflows.dataset.DatasetSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data put} and {@code data ls}: the checks before any upload, then S3 itself. */
class DataCommandTest {
  static final String SCHEMA =
      """
      {"name":"churn","label":"churned","features":[
        {"name":"tenure","type":"NUMERIC","min":0,"max":600},
        {"name":"plan","type":"CATEGORICAL","categories":["basic","pro"]}]}
      """;

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  static void gzip(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Two good days, one plain and one gzipped. */
  static Path dataset(Path dir) throws IOException {
    write(dir.resolve("_schema.json"), SCHEMA);
    write(dir.resolve("dt=2026-01-01/part-0.csv"), "tenure,plan,churned\n12,basic,0\n40,pro,1\n");
    gzip(
        dir.resolve("dt=2026-01-02/part-0.csv.gz"),
        "\"churned\",\"plan\",\"tenure\",extra\n1,pro,3,x\n");
    write(dir.resolve(".DS_Store"), "finder");
    return dir;
  }

  @Test
  void withoutASchemaNothingIsUploaded(@TempDir Path dir) throws IOException {
    write(dir.resolve("dt=2026-01-01/part-0.csv"), "tenure,plan,churned\n");
    Run r = run("data", "put", "--model", "churn", "--from", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "error: "
                + dir.resolve("_schema.json")
                + ": missing; a dataset needs its schema,"
                + " e.g. {\"name\":\"churn\",\"label\":\"churned\",\"features\":[{\"name\":\"tenure\","
                + "\"type\":\"NUMERIC\"}]}\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void everyProblemIsListedWithItsFile(@TempDir Path dir) throws IOException {
    dataset(dir);
    write(dir.resolve("dt=2026-02-30/part-0.csv"), "tenure,plan,churned\n");
    write(dir.resolve("dt=yesterday/part-0.csv"), "tenure,plan,churned\n");
    write(dir.resolve("dt=2026-01-03/part-0.csv"), "tenure,churned\n1,0\n");
    gzip(dir.resolve("dt=2026-01-04/part-0.csv.gz"), "plan\n");
    write(dir.resolve("dt=2026-01-05/notes.txt"), "hello");
    write(dir.resolve("README.md"), "about");

    Run r = run("data", "put", "--model", "churn", "--from", dir.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList())
        .containsExactly(
            "error: "
                + dir.resolve("README.md")
                + ": not a partition; expected _schema.json and"
                + " dt=YYYY-MM-DD/<name>.csv[.gz]",
            "error: " + dir.resolve("dt=2026-01-03/part-0.csv") + ": header lacks feature 'plan'",
            "error: "
                + dir.resolve("dt=2026-01-04/part-0.csv.gz")
                + ": header lacks label 'churned' and feature 'tenure'",
            "error: "
                + dir.resolve("dt=2026-01-05/notes.txt")
                + ": not a CSV file; a partition holds <name>.csv or <name>.csv.gz",
            "error: " + dir.resolve("dt=2026-01-05") + ": no CSV file in the partition",
            "error: " + dir.resolve("dt=2026-02-30") + ": '2026-02-30' is not a date (YYYY-MM-DD)",
            "error: " + dir.resolve("dt=yesterday") + ": 'yesterday' is not a date (YYYY-MM-DD)");
  }

  @Test
  void aSchemaThatIsNoFeatureSchemaIsNamed(@TempDir Path dir) throws IOException {
    dataset(dir);
    write(dir.resolve("_schema.json"), "{\"name\":\"churn\",\"features\":[]}");
    Run r = run("data", "put", "--model", "churn", "--from", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(dir.resolve("_schema.json") + ": schema: 'label' is required")
        .contains(
            dir.resolve("_schema.json") + ": schema: 'features' must list at least one column");
  }

  @Test
  void putUploadsTheCheckedFilesAndLsShowsThem(@TempDir Path dir, @TempDir Path s3)
      throws Exception {
    LocalDataset dataset = LocalDataset.check(dataset(dir));
    assertThat(dataset.problems()).isEmpty();
    try (EmbeddedS3Server server =
        EmbeddedS3Server.start(s3, 0, "test-access", "test-secret-key")) {
      ObjectStore store = ObjectStores.open(server.settings(), false);
      DatasetSpec at = DatasetSpec.forModel("churn");

      Printed put = Printed.printed(out -> DataCommand.put(store, at, dataset, out));
      assertThat(put.code()).isZero();
      assertThat(put.out().lines().toList())
          .containsExactly(
              "  s3://perennial-data/churn/_schema.json  "
                  + Files.size(dir.resolve("_schema.json"))
                  + " bytes",
              "  s3://perennial-data/churn/dt=2026-01-01/part-0.csv  40 bytes",
              "  s3://perennial-data/churn/dt=2026-01-02/part-0.csv.gz  "
                  + Files.size(dir.resolve("dt=2026-01-02/part-0.csv.gz"))
                  + " bytes",
              "Uploaded 3 objects ("
                  + (Files.size(dir.resolve("_schema.json"))
                      + 40
                      + Files.size(dir.resolve("dt=2026-01-02/part-0.csv.gz")))
                  + " bytes): schema churn and 2 daily partitions to s3://perennial-data/churn/");
      assertThat(
              store.read("perennial-data", "churn/dt=2026-01-01/part-0.csv").orElseThrow().bytes())
          .isEqualTo(Files.readAllBytes(dir.resolve("dt=2026-01-01/part-0.csv")));

      // Again: the same keys with the same bytes, nothing more.
      assertThat(Printed.printed(out -> DataCommand.put(store, at, dataset, out)).out())
          .isEqualTo(put.out());
      assertThat(store.list("perennial-data", "churn/")).hasSize(3);

      Printed ls = Printed.printed(out -> DataCommand.ls(store, "churn", at, out));
      assertThat(ls.code()).isZero();
      assertThat(ls.out())
          .isEqualTo(
              """
              Data of churn in s3://perennial-data/churn/
                schema:   churn, label churned
                features: tenure (NUMERIC), plan (CATEGORICAL)
                2 daily partitions, 2026-01-01 to 2026-01-02
              day         objects  bytes
              --------------------------
              2026-01-01  1        40
              2026-01-02  1        %d
              """
                  .formatted(Files.size(dir.resolve("dt=2026-01-02/part-0.csv.gz"))));

      Printed none =
          Printed.printed(
              out -> DataCommand.ls(store, "other", DatasetSpec.forModel("other"), out));
      assertThat(none.code()).isEqualTo(1);
      assertThat(none.out())
          .isEqualTo(
              "Nothing under s3://perennial-data/other/. Upload a dataset with: perennial data put"
                  + " --model other --from DIR\n");
    }
  }
}
