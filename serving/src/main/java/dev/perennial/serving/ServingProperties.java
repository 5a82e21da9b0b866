package dev.perennial.serving;

import dev.perennial.core.store.S3Settings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
   * @param shadowThreads threads that score requests for a shadow, off the requests' path
   * @param shadowQueueCapacity requests waiting for a shadow's scoring; when full, a request is not
   *     shadowed (counted in {@code perennial_serving_shadow_skipped_total}) rather than slowed
   * @param auth who may call predict and feedback
   * @param models models whose champions load at start-up; the server reports ready (health group
   *     {@code readiness}) only once each of them is served. Others still load on their first
   *     request.
   */
  public record Serving(
      Duration refreshInterval,
      int maxBatchRows,
      long maxRequestBytes,
      java.nio.file.Path spoolDir,
      Duration logFlushInterval,
      int logQueueCapacity,
      int onlineQualityWindow,
      @DefaultValue("1") int shadowThreads,
      @DefaultValue("1000") int shadowQueueCapacity,
      @DefaultValue Auth auth,
      List<String> models) {
    public Serving {
      models =
          models == null
              ? List.of()
              : models.stream().map(String::strip).filter(m -> !m.isEmpty()).toList();
    }
  }

  /**
   * API keys for {@code /v1/**} ({@code perennial.serving.auth.*}).
   *
   * @param enabled whether requests need a key (default true); with no key configured the server
   *     refuses to start rather than serve openly
   * @param keys the keys this server accepts
   */
  public record Auth(@DefaultValue("true") boolean enabled, List<Key> keys) {
    public Auth {
      keys = keys == null ? List.of() : List.copyOf(keys);
    }
  }

  /**
   * One API key. Exactly one of {@code secret} and {@code sha256} is set.
   *
   * @param name who holds the key, e.g. {@code checkout-app}: shown in logs and the refusal metric,
   *     never the secret
   * @param secret the key itself (at least 32 characters; e.g. {@code openssl rand -hex 32}), best
   *     given through the environment ({@code PERENNIAL_SERVING_AUTH_KEYS_0_SECRET})
   * @param sha256 instead of {@code secret}: the SHA-256 of the key in hex ({@code printf %s "$KEY"
   *     | sha256sum}), which may sit in a file under version control
   * @param scopes what the key may call: {@code predict}, {@code feedback} or both
   */
  public record Key(String name, String secret, String sha256, Set<Scope> scopes) {
    @Override
    public String toString() {
      // Never the secret: a bound property record may be printed by a failure analyser or a log.
      return "Key[name=" + name + ", scopes=" + scopes + "]";
    }
  }

  /** What a key may call. */
  public enum Scope {
    /** {@code POST /v1/models/{model}/predict} */
    PREDICT,
    /** {@code POST /v1/models/{model}/feedback} */
    FEEDBACK;

    /** As written in the configuration and in answers: {@code predict}, {@code feedback}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
