package dev.perennial.starter.ops;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A dataset on local disk laid out as Perennial reads it from S3: {@code _schema.json} and daily
 * partitions {@code dt=YYYY-MM-DD/<name>.csv[.gz]}. {@link #check} finds every problem before
 * anything is uploaded, reading only each CSV's header line.
 *
 * @param dir the directory
 * @param schema its schema, null when it has none that parses
 * @param files the files to upload, relative to {@code dir}, schema first, sorted
 * @param problems every problem, each naming its file; empty when the dataset can be uploaded
 */
public record LocalDataset(
    Path dir, FeatureSchema schema, List<Path> files, List<String> problems) {
  public static final String SCHEMA = "_schema.json";
  private static final Pattern PARTITION = Pattern.compile("dt=(.*)");
  private static final Pattern CSV = Pattern.compile("[^/]+\\.csv(\\.gz)?");

  public static LocalDataset check(Path dir) {
    List<String> problems = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      problems.add(dir + ": no such directory");
      return new LocalDataset(dir, null, files, problems);
    }
    FeatureSchema schema = schema(dir.resolve(SCHEMA), problems);
    if (schema != null) {
      files.add(Path.of(SCHEMA));
    }
    int partitions = 0;
    for (Path entry : sorted(dir)) {
      String name = entry.getFileName().toString();
      if (name.equals(SCHEMA) || name.startsWith(".")) {
        continue; // Dot files (.DS_Store, editor swap files) are not data: left out.
      }
      Matcher m = PARTITION.matcher(name);
      if (!Files.isDirectory(entry) || !m.matches()) {
        problems.add(
            entry + ": not a partition; expected " + SCHEMA + " and dt=YYYY-MM-DD/<name>.csv[.gz]");
        continue;
      }
      if (!validDate(m.group(1))) {
        problems.add(entry + ": '" + m.group(1) + "' is not a date (YYYY-MM-DD)");
        continue;
      }
      partitions++;
      int csvs = 0;
      for (Path file : sorted(entry)) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith(".")) {
          continue;
        }
        if (Files.isDirectory(file) || !CSV.matcher(fileName).matches()) {
          problems.add(file + ": not a CSV file; a partition holds <name>.csv or <name>.csv.gz");
          continue;
        }
        csvs++;
        files.add(dir.relativize(file));
        if (schema != null) {
          header(file, schema, problems);
        }
      }
      if (csvs == 0) {
        problems.add(entry + ": no CSV file in the partition");
      }
    }
    if (partitions == 0) {
      problems.add(dir + ": no partition dt=YYYY-MM-DD/ found");
    }
    return new LocalDataset(dir, schema, List.copyOf(files), List.copyOf(problems));
  }

  private static FeatureSchema schema(Path file, List<String> problems) {
    if (!Files.isRegularFile(file)) {
      problems.add(
          file
              + ": missing; a dataset needs its schema, e.g. {\"name\":\"churn\",\"label\":"
              + "\"churned\",\"features\":[{\"name\":\"tenure\",\"type\":\"NUMERIC\"}]}");
      return null;
    }
    FeatureSchema schema;
    try {
      schema = FeatureSchema.fromJson(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      problems.add(file + ": not a feature schema: " + e.getMessage());
      return null;
    }
    if (schema == null) {
      problems.add(file + ": not a feature schema: empty");
      return null;
    }
    List<String> wrong = schema.problems();
    wrong.forEach(p -> problems.add(file + ": " + p));
    return wrong.isEmpty() ? schema : null;
  }

  /** Reads the header line only; notes the label or features it lacks. */
  private static void header(Path file, FeatureSchema schema, List<String> problems) {
    String line;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 12) : raw;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      line = reader.readLine();
    } catch (IOException e) {
      problems.add(file + ": cannot read its header: " + e.getMessage());
      return;
    }
    if (line == null || line.isBlank()) {
      problems.add(file + ": empty; the first line must be the header");
      return;
    }
    Set<String> columns = columns(line);
    List<String> missing = new ArrayList<>();
    if (!columns.contains(schema.label())) {
      missing.add("label '" + schema.label() + "'");
    }
    List<String> features =
        schema.features().stream()
            .map(FeatureSpec::name)
            .filter(f -> !columns.contains(f))
            .toList();
    if (!features.isEmpty()) {
      missing.add(
          (features.size() == 1 ? "feature " : "features ")
              + String.join(", ", features.stream().map(f -> "'" + f + "'").toList()));
    }
    if (!missing.isEmpty()) {
      problems.add(file + ": header lacks " + String.join(" and ", missing));
    }
  }

  /** The header's column names: comma-separated, optionally double-quoted, a BOM ignored. */
  public static Set<String> columns(String line) {
    String text = line.startsWith("\uFEFF") ? line.substring(1) : line;
    Set<String> names = new LinkedHashSet<>();
    for (String raw : text.split(",", -1)) {
      String name = raw.strip();
      if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
        name = name.substring(1, name.length() - 1).replace("\"\"", "\"");
      }
      names.add(name);
    }
    return names;
  }

  private static boolean validDate(String text) {
    try {
      return LocalDate.parse(text).toString().equals(text);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static List<Path> sorted(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
