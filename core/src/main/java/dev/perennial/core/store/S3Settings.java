package dev.perennial.core.store;

import java.util.Objects;

/**
 * Where and how to reach an S3-compatible server.
 *
 * @param endpoint base URL, e.g. {@code http://127.0.0.1:9000}
 * @param accessKey access key id
 * @param secretKey secret key; never printed
 * @param region signing region, e.g. {@code us-east-1}; null lets the client discover it
 */
public record S3Settings(String endpoint, String accessKey, String secretKey, String region) {

  public S3Settings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(secretKey, "secretKey");
  }

  /**
   * Settings from configuration, refusing missing credentials with what to set (the servers read
   * them from the environment; nothing is hard-coded).
   */
  public static S3Settings configured(
      String endpoint, String accessKey, String secretKey, String region) {
    if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
      throw new IllegalStateException(
          "S3 credentials are not configured: set PERENNIAL_S3_ACCESS_KEY and"
              + " PERENNIAL_S3_SECRET_KEY (or perennial.s3.access-key/secret-key) for "
              + endpoint);
    }
    return new S3Settings(endpoint, accessKey, secretKey, region);
  }

  /** Masks the secret key: settings end up in logs and exception messages. */
  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + endpoint
        + ", accessKey="
        + accessKey
        + ", secretKey=***, region="
        + region
        + "]";
  }
}
