package dev.perennial.core.dataset;

import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.workflows.watch.PartitionListing;
import dev.perennial.workflows.watch.PartitionQuery;
import java.util.List;
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
}
