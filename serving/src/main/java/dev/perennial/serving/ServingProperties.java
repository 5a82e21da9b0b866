package dev.perennial.serving;

import dev.perennial.core.store.S3Settings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The model server's settings ({@code perennial.*}).
 *
 * @param artifactBucket bucket of the registry and the model artifacts
 * @param s3 the S3-compatible endpoint and its credentials
 * @param serving request limits and how often the registry is read
 * @param plugins directories or jars with users' trainers, separated like a class path; their
 *     models are served like the built-ins' (default {@code PERENNIAL_PLUGINS}, else none)
 */
@ConfigurationProperties("perennial")
public record ServingProperties(String artifactBucket, S3 s3, Serving serving, String plugins) {

  /** S3 connection; credentials must come from the environment. */
  public record S3(String endpoint, String region, String accessKey, String secretKey) {
    S3Settings toSettings() {
      return S3Settings.configured(endpoint, accessKey, secretKey, region);
    }
  }

  /**
   * @param refreshInterval how often the registry is read for a new champion
   * @param maxBatchRows most rows one request may carry
   * @param maxRequestBytes largest request body accepted on {@code /v1/**}, in bytes; larger ones
   *     are answered 413 before they are parsed
   * @param spoolDir where the prediction log waits for S3
   * @param logFlushInterval how often the prediction log uploads to S3
   * @param logQueueCapacity log entries held in memory before requests wait
   * @param onlineQualityWindow recent predictions remembered to match feedback labels for the
   *     online quality metrics
   */
  public record Serving(
      Duration refreshInterval,
      int maxBatchRows,
      long maxRequestBytes,
      java.nio.file.Path spoolDir,
      Duration logFlushInterval,
      int logQueueCapacity,
      int onlineQualityWindow) {}
}
