package dev.perennial.core.dataset;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.watch.PartitionListing;
import dev.perennial.workflows.watch.PartitionQuery;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which daily partitions a data prefix holds: one listing, names only, no object is read. */
public final class DataPartitions {
  /** A data object under a prefix: {@code dt=YYYY-MM-DD/<name>.csv} or {@code .csv.gz}. */
  static final Pattern PARTITION = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/[^/]+\\.csv(\\.gz)?");

  private static final String SCHEMA = "_schema.json";

  private final ObjectStore store;

  public DataPartitions(ObjectStore store) {
    this.store = store;
  }

  /**
   * The partitions under the query's prefix, and which are dated after its {@code after}.
   *
   * @throws InvalidDatasetException when the prefix holds neither a schema nor any partition: no
   *     model's data is there, so a typo is the likelier story than data yet to come
   */
  public PartitionListing list(PartitionQuery query) {
    String prefix = query.prefix();
    TreeSet<String> days = new TreeSet<>();
    boolean schema = false;
    for (ObjectInfo o : store.list(query.bucket(), prefix)) {
      String rest = o.key().substring(prefix.length());
      Matcher m = PARTITION.matcher(rest);
      if (m.matches()) {
        days.add(m.group(1));
      } else if (rest.equals(SCHEMA)) {
        schema = true;
      }
    }
    if (days.isEmpty() && !schema) {
      String where = "s3://" + query.bucket() + "/" + prefix;
      throw new InvalidDatasetException(
          "no data under "
              + where
              + " (no "
              + SCHEMA
              + ", no dt=YYYY-MM-DD/ partitions): check the model name, bucket and prefix, or put"
              + " the data first (perennial data put --model <model> --from DIR)");
    }
    return PartitionListing.of(List.copyOf(days), query.after());
  }

  /**
   * The days {@code spec} selects among {@code byDay}'s (keys {@code YYYY-MM-DD}, at least one):
   * from {@code from} to {@code to} inclusive, an open end meaning the first or last day there is;
   * without either, the latest {@code lastDays}, {@code defaultLastDays} when that is unset.
   *
   * @param where the prefix the days are under, {@code s3://bucket/prefix/}, for the error
   * @throws InvalidDatasetException when no day lies in the range given, naming the days there are
   */
  public static List<String> selectDays(
      DatasetSpec spec, NavigableMap<String, ?> byDay, int defaultLastDays, String where) {
    String available = byDay.firstKey() + " to " + byDay.lastKey() + " (" + byDay.size() + " days)";
    if (spec.from() != null || spec.to() != null) {
      String from = spec.from() == null ? byDay.firstKey() : spec.from();
      String to = spec.to() == null ? byDay.lastKey() : spec.to();
      List<String> days = List.copyOf(byDay.subMap(from, true, to, true).keySet());
      if (days.isEmpty()) {
        throw new InvalidDatasetException(
            "no partitions between "
                + from
                + " and "
                + to
                + " under "
                + where
                + "; available: "
                + available);
      }
      return days;
    }
    List<String> all = List.copyOf(byDay.keySet());
    int n = spec.lastDays() == null ? defaultLastDays : spec.lastDays();
    return all.subList(Math.max(0, all.size() - n), all.size());
  }
}
