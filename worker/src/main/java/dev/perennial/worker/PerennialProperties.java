package dev.perennial.worker;

import dev.perennial.core.store.S3Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker's own settings ({@code perennial.*}).
 *
 * @param artifactBucket bucket for manifests, models, reports and the registry
 * @param s3 the S3-compatible endpoint and its credentials
 */
@ConfigurationProperties("perennial")
public record PerennialProperties(String artifactBucket, S3 s3) {

  /**
   * S3 connection; credentials must be supplied by the environment.
   *
   * @param serializeWritesPerKey serialize writes per key inside this worker: only for S3 servers
   *     whose {@code If-Match} is not atomic (S3Proxy, the embedded stack) and only when this
   *     worker is the sole writer of the artifact bucket
   */
  public record S3(
      String endpoint,
      String region,
      String accessKey,
      String secretKey,
      boolean serializeWritesPerKey) {

    S3Settings toSettings() {
      return S3Settings.configured(endpoint, accessKey, secretKey, region);
    }
  }
}
