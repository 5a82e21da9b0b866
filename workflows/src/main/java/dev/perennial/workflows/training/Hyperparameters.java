package dev.perennial.workflows.training;

import dev.perennial.workflows.RequestProblems;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Hyperparameters of one training run: which trainer, the typed fields the built-in trainers share,
 * and free-form {@code params} for any other trainer's options. A trainer ignores the fields it
 * does not use. Stored beside the model as a properties file, so a version can be re-trained
 * exactly.
 *
 * <p>In a pipeline: {@code Hyperparameters.of("RANDOM_FOREST").with("trees", 300)}, or {@code
 * Hyperparameters.of("acme-stumps").with("rounds", 40)}; from the Temporal UI: {@code
 * {"algorithm":"RANDOM_FOREST","trees":300}} or {@code
 * {"algorithm":"acme-stumps","params":{"rounds":"40"}}}.
 *
 * <p>Not validated in the constructor: a request from the Temporal UI must deserialize so the
 * workflow can answer with a non-retryable error that names every bad field ({@link #problems}).
 * Whether the trainer exists and accepts its options is for the worker to say, which knows the
 * trainers it has.
 *
 * @param algorithm the trainer's name (default {@value #GRADIENT_BOOSTING}); the built-ins are
 *     {@value #GRADIENT_BOOSTING}, {@value #RANDOM_FOREST}, {@value #LOGISTIC_REGRESSION}, {@code
 *     ADABOOST} and {@code DECISION_TREE}, and a worker may have more
 * @param trees number of trees for the ensembles (default 100)
 * @param maxDepth maximum tree depth, at least 2 (default 6 for boosting, 16 for the forest)
 * @param maxNodes maximum leaves per tree (default 32 for boosting, 512 for the forest)
 * @param nodeSize minimum samples per leaf (default 5)
 * @param shrinkage learning rate for gradient boosting (default 0.1)
 * @param subsample row sampling rate per tree (default 0.7 for boosting; 1.0 for the forest, which
 *     then draws a bootstrap sample)
 * @param lambda L2 regularisation for logistic regression (default 0.1)
 * @param maxIterations optimiser iterations for logistic regression (default 500)
 * @param validationFraction share of training rows held out for the training report (default 0.2)
 * @param seed random seed for the split and the learner (default 42)
 * @param params the trainer's other options by name, as text (default none)
 * @param maxTrainingRows at most this many rows read from the training days (the validation share
 *     included), 100 to 500,000,000; more are sampled while reading, so no more are ever held in
 *     memory (default none: every row)
 * @param sampling how the rows are sampled when there are more than {@code maxTrainingRows}:
 *     {@value #UNIFORM} (every row equally likely, the default) or {@value #STRATIFIED} (the same,
 *     per label, keeping each label's share of the rows)
 */
public record Hyperparameters(
    String algorithm,
    Integer trees,
    Integer maxDepth,
    Integer maxNodes,
    Integer nodeSize,
    Double shrinkage,
    Double subsample,
    Double lambda,
    Integer maxIterations,
    Double validationFraction,
    Long seed,
    Map<String, String> params,
    Integer maxTrainingRows,
    String sampling) {

  /** The built-in gradient-boosted trees, the default trainer. */
  public static final String GRADIENT_BOOSTING = "GRADIENT_BOOSTING";

  /** The built-in random forest. */
  public static final String RANDOM_FOREST = "RANDOM_FOREST";

  /** The built-in L2-regularised logistic regression. */
  public static final String LOGISTIC_REGRESSION = "LOGISTIC_REGRESSION";

  /** {@link #sampling}: every row equally likely. */
  public static final String UNIFORM = "uniform";

  /** {@link #sampling}: every row of a label equally likely, each label keeping its share. */
  public static final String STRATIFIED = "stratified";

  /** The trainers whose typed fields {@link #withDefaults()} fills in, as it always has. */
  private static final List<String> TYPED =
      List.of(GRADIENT_BOOSTING, RANDOM_FOREST, LOGISTIC_REGRESSION);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /** The typed fields, by the name {@link #with} and the properties file use. */
  private static final List<String> FIELDS =
      List.of(
          "trees",
          "maxDepth",
          "maxNodes",
          "nodeSize",
          "shrinkage",
          "subsample",
          "lambda",
          "maxIterations",
          "validationFraction",
          "seed",
          "maxTrainingRows",
          "sampling");

  /** Prefix of {@link #params} keys in the properties file. */
  public static final String PARAMS_PREFIX = "params.";

  /** Without sampling, as before it existed. */
  public Hyperparameters(
      String algorithm,
      Integer trees,
      Integer maxDepth,
      Integer maxNodes,
      Integer nodeSize,
      Double shrinkage,
      Double subsample,
      Double lambda,
      Integer maxIterations,
      Double validationFraction,
      Long seed,
      Map<String, String> params) {
    this(
        algorithm,
        trees,
        maxDepth,
        maxNodes,
        nodeSize,
        shrinkage,
        subsample,
        lambda,
        maxIterations,
        validationFraction,
        seed,
        params,
        null,
        null);
  }

  /** Without trainer-specific params, as before they existed. */
  public Hyperparameters(
      String algorithm,
      Integer trees,
      Integer maxDepth,
      Integer maxNodes,
      Integer nodeSize,
      Double shrinkage,
      Double subsample,
      Double lambda,
      Integer maxIterations,
      Double validationFraction,
      Long seed) {
    this(
        algorithm,
        trees,
        maxDepth,
        maxNodes,
        nodeSize,
        shrinkage,
        subsample,
        lambda,
        maxIterations,
        validationFraction,
        seed,
        null);
  }

  public static Hyperparameters defaults() {
    return of(GRADIENT_BOOSTING);
  }

  /** Trainer {@code trainer} with its defaults; change them with {@link #with}. */
  public static Hyperparameters of(String trainer) {
    return new Hyperparameters(trainer, null, null, null, null, null, null, null, null, null, null)
        .withDefaults();
  }

  /**
   * A copy with one option set: a typed field when {@code key} names one ({@code "trees"}, {@code
   * "seed"}, ...), else the trainer-specific param {@code key}. Null removes it.
   *
   * @throws IllegalArgumentException when a typed field's value is not a number of its kind
   */
  public Hyperparameters with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Integer[] ints = {trees, maxDepth, maxNodes, nodeSize, maxIterations};
    Double[] decimals = {shrinkage, subsample, lambda, validationFraction};
    Long s = seed;
    Integer rows = maxTrainingRows;
    String how = sampling;
    SortedMap<String, String> p = new TreeMap<>(params == null ? Map.of() : params);
    switch (key) {
      case "trees" -> ints[0] = integer(key, value);
      case "maxDepth" -> ints[1] = integer(key, value);
      case "maxNodes" -> ints[2] = integer(key, value);
      case "nodeSize" -> ints[3] = integer(key, value);
      case "maxIterations" -> ints[4] = integer(key, value);
      case "shrinkage" -> decimals[0] = decimal(key, value);
      case "subsample" -> decimals[1] = decimal(key, value);
      case "lambda" -> decimals[2] = decimal(key, value);
      case "validationFraction" -> decimals[3] = decimal(key, value);
      case "seed" -> s = whole(key, value);
      case "maxTrainingRows" -> rows = integer(key, value);
      case "sampling" -> how = value == null ? null : value.toString();
      case "algorithm" -> throw new IllegalArgumentException("the trainer is set by of(name)");
      default -> {
        if (value == null) {
          p.remove(key);
        } else {
          p.put(key, value.toString());
        }
      }
    }
    return new Hyperparameters(
        algorithm,
        ints[0],
        ints[1],
        ints[2],
        ints[3],
        decimals[0],
        decimals[1],
        decimals[2],
        ints[4],
        decimals[3],
        s,
        Collections.unmodifiableSortedMap(p),
        rows,
        how);
  }

  /** The trainer's name, with the default applied. */
  public String trainer() {
    return algorithm == null ? GRADIENT_BOOSTING : algorithm;
  }

  /**
   * With defaults applied. The built-ins named here since the beginning get their typed defaults as
   * always; any other trainer only the run's ({@code validationFraction}, {@code seed}), and fills
   * in its own options itself.
   */
  public Hyperparameters withDefaults() {
    String a = trainer();
    SortedMap<String, String> p =
        Collections.unmodifiableSortedMap(new TreeMap<>(params == null ? Map.of() : params));
    Double fraction = validationFraction == null ? 0.2 : validationFraction;
    Long s = seed == null ? 42L : seed;
    String how = sampling == null && maxTrainingRows != null ? UNIFORM : sampling;
    if (!TYPED.contains(a)) {
      return new Hyperparameters(
          a,
          trees,
          maxDepth,
          maxNodes,
          nodeSize,
          shrinkage,
          subsample,
          lambda,
          maxIterations,
          fraction,
          s,
          p,
          maxTrainingRows,
          how);
    }
    // A forest averages deep, low-bias trees; boosting adds up shallow ones.
    boolean forest = a.equals(RANDOM_FOREST);
    return new Hyperparameters(
        a,
        trees == null ? 100 : trees,
        maxDepth == null ? (forest ? 16 : 6) : maxDepth,
        maxNodes == null ? (forest ? 512 : 32) : maxNodes,
        nodeSize == null ? 5 : nodeSize,
        shrinkage == null ? 0.1 : shrinkage,
        subsample == null ? (forest ? 1.0 : 0.7) : subsample,
        lambda == null ? 0.1 : lambda,
        maxIterations == null ? 500 : maxIterations,
        fraction,
        s,
        p,
        maxTrainingRows,
        how);
  }

  public List<String> problems(String path) {
    RequestProblems problems =
        new RequestProblems()
            .require(
                algorithm == null || NAME.matcher(algorithm).matches(),
                path + ".algorithm",
                "must name a trainer: 1-64 letters, digits, '_', '.' or '-' (got '"
                    + algorithm
                    + "')")
            .range(path + ".trees", trees, 1, 5000)
            .range(path + ".maxDepth", maxDepth, 2, 64)
            .range(path + ".maxNodes", maxNodes, 2, 1 << 16)
            .range(path + ".nodeSize", nodeSize, 1, 1_000_000)
            .range(path + ".shrinkage", shrinkage, 1e-6, 1)
            .range(path + ".subsample", subsample, 0.01, 1)
            .range(path + ".lambda", lambda, 0, 1e6)
            .range(path + ".maxIterations", maxIterations, 1, 100_000)
            .range(path + ".validationFraction", validationFraction, 0, 0.9)
            .range(path + ".maxTrainingRows", maxTrainingRows, 100, 500_000_000)
            .require(
                sampling == null || UNIFORM.equals(sampling) || STRATIFIED.equals(sampling),
                path + ".sampling",
                "must be " + UNIFORM + " or " + STRATIFIED + " (got '" + sampling + "')")
            .require(
                sampling == null || maxTrainingRows != null,
                path + ".sampling",
                "samples only with " + path + ".maxTrainingRows set");
    if (params != null) {
      params.forEach(
          (k, v) ->
              problems
                  .require(
                      k != null && !k.isBlank() && !FIELDS.contains(k),
                      path + ".params." + k,
                      FIELDS.contains(k)
                          ? "is a field of its own: set " + path + "." + k
                          : "must be a non-blank name")
                  .require(v != null, path + ".params." + k, "must have a value"));
    }
    return problems.list();
  }

  /**
   * Every field with defaults applied, as text properties; params under {@value #PARAMS_PREFIX}.
   * Typed fields the trainer leaves unset are left out.
   */
  public Properties toProperties() {
    Hyperparameters h = withDefaults();
    Properties p = new Properties();
    p.setProperty("algorithm", h.algorithm);
    Object[] values = {
      h.trees,
      h.maxDepth,
      h.maxNodes,
      h.nodeSize,
      h.shrinkage,
      h.subsample,
      h.lambda,
      h.maxIterations,
      h.validationFraction,
      h.seed,
      h.maxTrainingRows,
      h.sampling
    };
    for (int i = 0; i < FIELDS.size(); i++) {
      if (values[i] != null) {
        p.setProperty(FIELDS.get(i), values[i].toString());
      }
    }
    h.params.forEach((k, v) -> p.setProperty(PARAMS_PREFIX + k, v));
    return p;
  }

  /** Inverse of {@link #toProperties()}; missing keys take defaults, other keys are ignored. */
  public static Hyperparameters fromProperties(Properties p) {
    Objects.requireNonNull(p, "properties");
    SortedMap<String, String> params = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith(PARAMS_PREFIX)) {
        params.put(k.substring(PARAMS_PREFIX.length()), p.getProperty(k));
      }
    }
    return new Hyperparameters(
            p.getProperty("algorithm"),
            integer("trees", p.getProperty("trees")),
            integer("maxDepth", p.getProperty("maxDepth")),
            integer("maxNodes", p.getProperty("maxNodes")),
            integer("nodeSize", p.getProperty("nodeSize")),
            decimal("shrinkage", p.getProperty("shrinkage")),
            decimal("subsample", p.getProperty("subsample")),
            decimal("lambda", p.getProperty("lambda")),
            integer("maxIterations", p.getProperty("maxIterations")),
            decimal("validationFraction", p.getProperty("validationFraction")),
            whole("seed", p.getProperty("seed")),
            params,
            integer("maxTrainingRows", p.getProperty("maxTrainingRows")),
            p.getProperty("sampling"))
        .withDefaults();
  }

  private static Integer integer(String key, Object value) {
    return parsed(key, value, Integer::valueOf, "a whole number");
  }

  private static Long whole(String key, Object value) {
    return parsed(key, value, Long::valueOf, "a whole number");
  }

  private static Double decimal(String key, Object value) {
    return value instanceof Number n
        ? n.doubleValue()
        : parsed(key, value, Double::valueOf, "a number");
  }

  /** {@code value} as text parsed by {@code parse}; null stays null, a bad value names the key. */
  private static <T> T parsed(String key, Object value, Function<String, T> parse, String kind) {
    if (value == null) {
      return null;
    }
    try {
      return parse.apply(value.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be " + kind + " (got " + value + ")");
    }
  }
}
