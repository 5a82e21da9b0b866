package dev.perennial.core.dataset;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.core.store.Sha256;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Freezes a dataset spec into an immutable, content-addressed snapshot: the matching daily
 * partitions, every object's SHA-256, the schema's SHA-256, stored as a manifest whose hash is the
 * dataset version.
 */
public final class DatasetSnapshots {
  /** Reports objects hashed so far, for heartbeats. */
  public interface Progress {
    void hashed(int done, int total);
  }

  private final ObjectStore store;
  private final String artifactBucket;

  public DatasetSnapshots(ObjectStore store, String artifactBucket) {
    this.store = store;
    this.artifactBucket = artifactBucket;
  }

  /**
   * Resolves {@code spec} (defaults applied) and stores its manifest. The same data gives the same
   * version and the same manifest key, so a retried snapshot rewrites identical bytes.
   *
   * @throws InvalidDatasetException when the schema is missing or malformed or nothing matches
   */
  public DatasetSnapshot snapshot(DatasetSpec spec, Progress progress) {
    String where = "s3://" + spec.bucket() + "/" + spec.prefix();
    byte[] schemaBytes =
        store
            .read(spec.bucket(), spec.schemaKey())
            .orElseThrow(
                () ->
                    new InvalidDatasetException(
                        "no schema at s3://"
                            + spec.bucket()
                            + "/"
                            + spec.schemaKey()
                            + ": write the dataset's feature schema there (see README, 'Your own"
                            + " data')"))
            .bytes();
    FeatureSchema schema;
    try {
      schema = FeatureSchema.fromJson(schemaBytes);
    } catch (UncheckedIOException e) {
      throw new InvalidDatasetException(
          "s3://" + spec.bucket() + "/" + spec.schemaKey() + ": " + e.getMessage());
    }
    List<String> problems = schema.problems();
    if (!problems.isEmpty()) {
      throw new InvalidDatasetException(
          "s3://"
              + spec.bucket()
              + "/"
              + spec.schemaKey()
              + " is not a usable schema: "
              + String.join("; ", problems));
    }

    TreeMap<String, List<ObjectInfo>> byDay = new TreeMap<>();
    for (ObjectInfo o : store.list(spec.bucket(), spec.prefix())) {
      Matcher m = DataPartitions.PARTITION.matcher(o.key().substring(spec.prefix().length()));
      if (m.matches()) {
        byDay.computeIfAbsent(m.group(1), d -> new ArrayList<>()).add(o);
      }
    }
    if (byDay.isEmpty()) {
      throw new InvalidDatasetException(
          "no data partitions under "
              + where
              + ": expected objects like "
              + where
              + "dt=2026-01-31/part-00000.csv.gz");
    }
    List<String> days =
        DataPartitions.selectDays(spec, byDay, DatasetSpec.DEFAULT_LAST_DAYS, where);

    List<Manifest.Entry> entries = new ArrayList<>();
    int total = days.stream().mapToInt(d -> byDay.get(d).size()).sum();
    for (String day : days) {
      for (ObjectInfo o : byDay.get(day)) {
        entries.add(
            new Manifest.Entry(o.key(), day, o.size(), o.etag(), hash(spec.bucket(), o.key())));
        progress.hashed(entries.size(), total);
      }
    }
    Manifest.Entry schemaEntry =
        new Manifest.Entry(
            spec.schemaKey(), null, schemaBytes.length, null, Sha256.hex(schemaBytes));
    Manifest manifest = new Manifest(spec.bucket(), spec.prefix(), days, schemaEntry, entries);
    String version = manifest.version();
    byte[] json = manifest.toJson();
    String key = "datasets/" + spec.bucket() + "/" + spec.prefix() + version + ".json";
    store.ensureBucket(artifactBucket);
    var stored = store.put(artifactBucket, key, json, "application/json");
    return new DatasetSnapshot(
        version,
        new ObjectRef(artifactBucket, key, stored.sha256(), stored.size()),
        new ObjectRef(spec.bucket(), spec.schemaKey(), schemaEntry.sha256(), schemaEntry.size()),
        days.get(0),
        days.get(days.size() - 1),
        days.size(),
        entries.size(),
        entries.stream().mapToLong(Manifest.Entry::size).sum());
  }

  private String hash(String bucket, String key) {
    return Sha256.ofObject(store, bucket, key, "the snapshot was taken");
  }
}
