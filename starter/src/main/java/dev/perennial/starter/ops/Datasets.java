package dev.perennial.starter.ops;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.workflows.dataset.DatasetSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's training data in S3 as pipelines read it: a schema and daily partitions {@code
 * dt=YYYY-MM-DD/<name>.csv[.gz]} under the dataset's prefix.
 */
public final class Datasets {
  private static final Pattern PARTITION = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/.*");

  private Datasets() {}

  /** One uploaded object. */
  public record Stored(String bucket, String key, long size) {}

  /** What {@link #upload} wrote: the objects in order, their bytes, the partitions among them. */
  public record Upload(List<Stored> objects, long bytes, long partitions) {}

  /**
   * Uploads a checked dataset (no {@link LocalDataset#problems()}) under {@code target}, creating
   * its bucket when missing; hands {@code each} every object as it is stored. Uploading again
   * writes the same objects under the same keys.
   */
  public static Upload upload(
      ObjectStore store, DatasetSpec target, LocalDataset dataset, Consumer<Stored> each) {
    store.ensureBucket(target.bucket());
    List<Stored> objects = new ArrayList<>();
    long bytes = 0;
    for (Path file : dataset.files()) {
      String key = target.prefix() + file.toString().replace('\\', '/');
      String name = file.getFileName().toString();
      String type =
          name.endsWith(".json")
              ? "application/json"
              : name.endsWith(".gz") ? "application/gzip" : "text/csv";
      var info = store.putFile(target.bucket(), key, dataset.dir().resolve(file), type);
      Stored stored = new Stored(target.bucket(), key, info.size());
      bytes += stored.size();
      objects.add(stored);
      each.accept(stored);
    }
    long partitions =
        dataset.files().stream()
            .filter(f -> f.getNameCount() > 1)
            .map(Path::getParent)
            .distinct()
            .count();
    return new Upload(List.copyOf(objects), bytes, partitions);
  }

  /** A day's partition: how many objects, how many bytes. */
  public record Day(long objects, long bytes) {}

  /**
   * What lies under a dataset's prefix.
   *
   * @param empty nothing at all under the prefix
   * @param schema the schema; null when there is none or it does not parse
   * @param schemaProblem why the schema does not parse; null when it does or there is none
   * @param days the daily partitions by ISO date, in order
   * @param other objects under the prefix that are neither schema nor partition
   */
  public record Listing(
      boolean empty,
      FeatureSchema schema,
      RuntimeException schemaProblem,
      SortedMap<String, Day> days,
      int other) {}

  /** Lists the objects under {@code at}'s prefix and reads its schema. */
  public static Listing list(ObjectStore store, DatasetSpec at) {
    List<ObjectInfo> objects = store.list(at.bucket(), at.prefix());
    var schemaBytes = store.read(at.bucket(), at.schemaKey());
    if (objects.isEmpty()) {
      return new Listing(true, null, null, Collections.emptySortedMap(), 0);
    }
    FeatureSchema schema = null;
    RuntimeException schemaProblem = null;
    try {
      schema = schemaBytes.map(b -> FeatureSchema.fromJson(b.bytes())).orElse(null);
    } catch (RuntimeException e) {
      schemaProblem = e;
    }
    TreeMap<String, Day> days = new TreeMap<>();
    int other = 0;
    for (ObjectInfo o : objects) {
      String rest = o.key().substring(at.prefix().length());
      Matcher m = PARTITION.matcher(rest);
      if (m.matches()) {
        days.merge(
            m.group(1),
            new Day(1, o.size()),
            (a, b) -> new Day(a.objects() + b.objects(), a.bytes() + b.bytes()));
      } else if (!o.key().equals(at.schemaKey())) {
        other++;
      }
    }
    return new Listing(
        false, schema, schemaProblem, Collections.unmodifiableSortedMap(days), other);
  }
}
