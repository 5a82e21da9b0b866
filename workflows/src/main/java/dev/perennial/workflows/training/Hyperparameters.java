package dev.perennial.workflows.training;

import dev.perennial.workflows.RequestProblems;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Hyperparameters of one training run. Fields an algorithm does not use are ignored by it. Stored
 * beside the model as a properties file, so a version can be re-trained exactly.
 *
 * <p>Not validated in the constructor: a request from the Temporal UI must deserialize so the
 * workflow can answer with a non-retryable error that names every bad field ({@link #problems}).
 *
 * @param algorithm which learner (default {@link Algorithm#GRADIENT_BOOSTING})
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
 */
public record Hyperparameters(
    Algorithm algorithm,
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

  public static Hyperparameters defaults() {
    return of(Algorithm.GRADIENT_BOOSTING);
  }

  public static Hyperparameters of(Algorithm algorithm) {
    return new Hyperparameters(
            algorithm, null, null, null, null, null, null, null, null, null, null)
        .withDefaults();
  }

  public Hyperparameters withDefaults() {
    Algorithm a = algorithm == null ? Algorithm.GRADIENT_BOOSTING : algorithm;
    // A forest averages deep, low-bias trees; boosting adds up shallow ones.
    boolean forest = a == Algorithm.RANDOM_FOREST;
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
        validationFraction == null ? 0.2 : validationFraction,
        seed == null ? 42L : seed);
  }

  public List<String> problems(String path) {
    return new RequestProblems()
        .range(path + ".trees", trees, 1, 5000)
        .range(path + ".maxDepth", maxDepth, 2, 64)
        .range(path + ".maxNodes", maxNodes, 2, 1 << 16)
        .range(path + ".nodeSize", nodeSize, 1, 1_000_000)
        .range(path + ".shrinkage", shrinkage, 1e-6, 1)
        .range(path + ".subsample", subsample, 0.01, 1)
        .range(path + ".lambda", lambda, 0, 1e6)
        .range(path + ".maxIterations", maxIterations, 1, 100_000)
        .range(path + ".validationFraction", validationFraction, 0, 0.9)
        .list();
  }

  /** Every field with defaults applied, as text properties. */
  public Properties toProperties() {
    Hyperparameters h = withDefaults();
    Properties p = new Properties();
    p.setProperty("algorithm", h.algorithm.name());
    p.setProperty("trees", h.trees.toString());
    p.setProperty("maxDepth", h.maxDepth.toString());
    p.setProperty("maxNodes", h.maxNodes.toString());
    p.setProperty("nodeSize", h.nodeSize.toString());
    p.setProperty("shrinkage", h.shrinkage.toString());
    p.setProperty("subsample", h.subsample.toString());
    p.setProperty("lambda", h.lambda.toString());
    p.setProperty("maxIterations", h.maxIterations.toString());
    p.setProperty("validationFraction", h.validationFraction.toString());
    p.setProperty("seed", h.seed.toString());
    return p;
  }

  /** Inverse of {@link #toProperties()}; missing keys take defaults. */
  public static Hyperparameters fromProperties(Properties p) {
    Objects.requireNonNull(p, "properties");
    String a = p.getProperty("algorithm");
    return new Hyperparameters(
            a == null ? null : Algorithm.valueOf(a),
            integer(p, "trees"),
            integer(p, "maxDepth"),
            integer(p, "maxNodes"),
            integer(p, "nodeSize"),
            decimal(p, "shrinkage"),
            decimal(p, "subsample"),
            decimal(p, "lambda"),
            integer(p, "maxIterations"),
            decimal(p, "validationFraction"),
            p.getProperty("seed") == null ? null : Long.valueOf(p.getProperty("seed")))
        .withDefaults();
  }

  private static Integer integer(Properties p, String k) {
    String v = p.getProperty(k);
    return v == null ? null : Integer.valueOf(v);
  }

  private static Double decimal(Properties p, String k) {
    String v = p.getProperty(k);
    return v == null ? null : Double.valueOf(v);
  }
}
