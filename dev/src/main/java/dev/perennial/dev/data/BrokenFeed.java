package dev.perennial.dev.data;

import dev.perennial.core.store.ObjectStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A day of credit-default data as a broken upstream feed would deliver it: ages with a flipped sign
 * and the income column empty. The demo uses it to show validation refusing a dataset.
 */
public final class BrokenFeed {
  private static final String SCRATCH = "_demo-scratch/";

  private BrokenFeed() {}

  public static void write(
      ObjectStore store, String bucket, String prefix, LocalDate day, long seed, int rows)
      throws IOException {
    List<String> written =
        new CreditDefaultGenerator()
            .generate(store, bucket, SCRATCH, GeneratorSpec.clean(seed, day, 1, rows));
    Path tmp = Files.createTempFile("perennial-broken-feed", ".csv.gz");
    try {
      for (String key : written) {
        if (!key.endsWith(".csv.gz")) {
          continue;
        }
        try (BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(
                        new GZIPInputStream(store.open(bucket, key)), StandardCharsets.UTF_8));
            BufferedWriter outFile =
                new BufferedWriter(
                    new OutputStreamWriter(
                        new GZIPOutputStream(Files.newOutputStream(tmp)),
                        StandardCharsets.UTF_8))) {
          String header = in.readLine();
          List<String> columns = Arrays.asList(header.split(",", -1));
          int age = columns.indexOf("age");
          int income = columns.indexOf("income");
          outFile.write(header);
          outFile.newLine();
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] cells = line.split(",", -1);
            if (!cells[age].isEmpty()) {
              cells[age] = "-" + cells[age];
            }
            cells[income] = "";
            outFile.write(String.join(",", cells));
            outFile.newLine();
          }
        }
        String target = prefix + key.substring(SCRATCH.length());
        store.putFile(bucket, target, tmp, "application/gzip");
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
