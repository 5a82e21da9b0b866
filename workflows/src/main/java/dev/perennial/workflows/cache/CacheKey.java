package dev.perennial.workflows.cache;

import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.SearchStrategy;
import dev.perennial.workflows.training.Hyperparameters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What made a trained candidate, as the step cache compares it: a version whose key equals a new
 * run's was trained on the same bytes with the same options by the same code, so training it again
 * would make the same model. Recorded in the manifest of every version registered since the cache
 * exists.
 *
 * @param key SHA-256 (hex) over the three parts below
 * @param datasetVersion the snapshot's content hash: every object's SHA-256 and the schema's
 * @param options the training options as canonical text, one {@code name=value} per line, sorted:
 *     the trainer's name and every hyperparameter with its default applied, the trainer's resolved
 *     options, the held-out days and the search spec; kept in full so two keys can be compared by
 *     eye
 * @param codeVersion the trainer's name and version and Perennial's build, e.g. {@code
 *     GRADIENT_BOOSTING 0.1.0+3f2a1bc; perennial 0.1.0+3f2a1bc}
 */
public record CacheKey(String key, String datasetVersion, String options, String codeVersion) {

  /** The key of {@code datasetVersion}, {@code options} and {@code codeVersion}. */
  public static CacheKey of(String datasetVersion, String options, String codeVersion) {
    Objects.requireNonNull(datasetVersion, "datasetVersion");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(codeVersion, "codeVersion");
    String canonical =
        "perennial-cache-key-v1\ndataset "
            + datasetVersion
            + "\ncode "
            + codeVersion
            + "\noptions\n"
            + options;
    return new CacheKey(sha256(canonical), datasetVersion, options, codeVersion);
  }

  /**
   * The options part of a key: {@code hyperparameters} with defaults applied, the trainer's
   * resolved options ({@code trainerOptions}, empty when only the hyperparameters are known), the
   * held-out days (the split between training and evaluation) and the search, if any. The search's
   * parallelism is left out: the best trial does not depend on how many trained at once.
   */
  public static String options(
      int holdoutDays,
      Hyperparameters hyperparameters,
      Map<String, String> trainerOptions,
      HyperparameterSearch search) {
    TreeMap<String, String> lines = new TreeMap<>();
    Properties h = hyperparameters.withDefaults().toProperties();
    h.stringPropertyNames().forEach(k -> lines.put("hyperparameters." + k, h.getProperty(k)));
    trainerOptions.forEach((k, v) -> lines.put("options." + k, v));
    lines.put("holdoutDays", Integer.toString(holdoutDays));
    if (search != null) {
      lines.put("search.strategy", search.strategyOrDefault().name());
      lines.put("search.metric", search.metricOrDefault());
      lines.put("search.trials", String.valueOf(search.trials()));
      lines.put("search.seed", String.valueOf(search.seed()));
      new TreeMap<>(search.ranges() == null ? Map.of() : search.ranges())
          .forEach((k, r) -> lines.put("search.ranges." + k, String.valueOf(r)));
    }
    StringBuilder text = new StringBuilder();
    lines.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return text.toString();
  }

  /**
   * Whether a run with {@code search} would make the same candidate again: a random search without
   * a seed draws other trials every run, so its runs never take a cached version.
   */
  public static boolean reproducible(HyperparameterSearch search) {
    return search == null
        || search.seed() != null
        || search.strategyOrDefault() == SearchStrategy.GRID;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
