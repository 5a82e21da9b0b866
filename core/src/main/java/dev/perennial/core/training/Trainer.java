package dev.perennial.core.training;

import dev.perennial.core.model.TrainingProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A learner Perennial can train: the plug-in point for users' own algorithms. Declare an
 * implementation in {@code META-INF/services/dev.perennial.core.training.Trainer} of a jar on the
 * worker's and the model server's class path or in their plug-in folder ({@code
 * PERENNIAL_PLUGINS}); a run picks it by {@link #name()} in its hyperparameters.
 *
 * <p>Perennial encodes the rows as {@link #encoding()} asks, seeds Smile's generator with the run's
 * seed on the fitting thread, and stores the returned model inside the version's bundle. Loading
 * that bundle admits only the classes {@link #modelClasses()} names beyond Perennial's own, Smile's
 * and the JDK's value types.
 *
 * <pre>{@code
 * public final class StumpTrainer implements Trainer<StumpTrainer.Options> {
 *   public record Options(int rounds) implements TrainerOptions {
 *     public Options {
 *       new RequestProblems().range("rounds", rounds, 1, 1000).refuseIfAny("acme-stumps options");
 *     }
 *   }
 *   public String name() { return "acme-stumps"; }
 *   public Options options(TrainerSettings s) { return new Options(s.integer("rounds", 50)); }
 *   public Encoding encoding() { return Encoding.ORDINAL; }
 *   public List<String> modelClasses() { return List.of("com.acme.trainers.StumpModel"); }
 *   public ScoringModel fit(TrainingData data, Options o, TrainingProgress progress) { ... }
 * }
 * }</pre>
 *
 * @param <O> the trainer's options
 */
public interface Trainer<O extends TrainerOptions> {

  /**
   * The name runs choose it by, such as {@code RANDOM_FOREST} or {@code acme-stumps}: 1-64 letters,
   * digits, '_', '.' or '-', unique among the trainers a worker has.
   */
  String name();

  /**
   * Reads and validates this trainer's options. {@code settings} comes from the run's
   * hyperparameters or from a stored version's properties; every key this method reads counts as an
   * option of the trainer, and any other param the run gave is refused.
   *
   * @throws IllegalArgumentException naming each option that is out of range
   */
  O options(TrainerSettings settings);

  /** How the rows are turned into numbers before {@link #fit}. */
  Encoding encoding();

  /**
   * Fits a model. Long fits should report through {@code progress} and stop early once {@link
   * TrainingProgress#cancelled()} turns true (the result is then discarded).
   */
  ScoringModel fit(TrainingData data, O options, TrainingProgress progress);

  /**
   * The version of this trainer's code, part of the step cache's key with Perennial's own build: a
   * run whose data and options equal a registered version's trains again only when this (or
   * Perennial) changed. Return a new value whenever a change would fit another model from the same
   * rows and options, e.g. your project's version or commit.
   *
   * <p>By default the {@code Implementation-Version} of the trainer's jar manifest, else {@code
   * class-sha256:} and the start of the SHA-256 of this class's bytecode, which changes with this
   * class but not with the other classes it uses: override it when the fitting lives elsewhere.
   */
  default String version() {
    Package p = getClass().getPackage();
    String declared = p == null ? null : p.getImplementationVersion();
    if (declared != null && !declared.isBlank()) {
      return declared;
    }
    String resource = getClass().getName().replace('.', '/') + ".class";
    ClassLoader loader =
        getClass().getClassLoader() == null
            ? ClassLoader.getSystemClassLoader()
            : getClass().getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        return "unversioned";
      }
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
      return "class-sha256:" + HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " to version its trainer", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Class names or package patterns ({@code com.acme.trainers.StumpModel}, {@code
   * com.acme.trainers.*}, {@code com.acme.trainers.**}) the returned model's serialized form holds
   * beyond Perennial's, Smile's and the JDK value types, to be admitted when a bundle is loaded.
   * Wildcards over everything or over a whole top-level package, and the JDK's packages, are
   * refused.
   */
  default List<String> modelClasses() {
    return List.of();
  }
}
