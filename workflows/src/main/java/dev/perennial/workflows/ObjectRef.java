package dev.perennial.workflows;

/**
 * A reference to an immutable object in S3-compatible storage. History carries these, never the
 * bytes they point to.
 *
 * @param bucket bucket name
 * @param key object key
 * @param sha256 lower-case hex SHA-256 of the object's bytes, checked before use
 * @param size size in bytes
 */
public record ObjectRef(String bucket, String key, String sha256, long size) {

  /** {@code s3://bucket/key}, for people and logs. */
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
