package dev.perennial.core.dataset;

import dev.perennial.core.Json;
import dev.perennial.core.store.Sha256;
import java.util.List;
import java.util.Map;

/**
 * The stored content of a dataset snapshot: exactly which objects, with which bytes, make up the
 * dataset. Its {@link #version()} is the SHA-256 of the canonical content (objects and schema, in
 * key order, without ETags, which are server-specific), so the same data always has the same
 * version on any S3 server.
 *
 * @param bucket data bucket
 * @param prefix data prefix
 * @param days the partition dates included, ascending
 * @param schema the schema file and its SHA-256
 * @param objects the data objects, in key order
 */
public record Manifest(
    String bucket, String prefix, List<String> days, Entry schema, List<Entry> objects) {

  /**
   * One object of the snapshot.
   *
   * @param key object key
   * @param day partition date (null for the schema)
   * @param size bytes
   * @param etag the server's ETag when the snapshot was taken (informative)
   * @param sha256 lower-case hex SHA-256 of the bytes
   */
  public record Entry(String key, String day, long size, String etag, String sha256) {}

  /** The dataset version: SHA-256 of the canonical content. */
  public String version() {
    StringBuilder canonical = new StringBuilder();
    canonical
        .append("perennial-dataset-v1\n")
        .append(bucket)
        .append('\n')
        .append(prefix)
        .append('\n');
    canonical
        .append("schema ")
        .append(schema.key())
        .append(' ')
        .append(schema.sha256())
        .append('\n');
    for (Entry e : objects) {
      canonical
          .append(e.day())
          .append(' ')
          .append(e.key())
          .append(' ')
          .append(e.size())
          .append(' ')
          .append(e.sha256())
          .append('\n');
    }
    return Sha256.hex(canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public byte[] toJson() {
    return Json.write(Map.of("version", version(), "manifest", this));
  }

  static Manifest fromJson(byte[] json) {
    return Json.read(json, Stored.class).manifest();
  }

  private record Stored(String version, Manifest manifest) {}
}
