package dev.perennial.activities.store;

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
