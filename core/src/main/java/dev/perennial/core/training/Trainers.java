package dev.perennial.core.training;

import dev.perennial.core.data.Table;
import dev.perennial.core.model.FeatureEncoder;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ModelCodec;
import dev.perennial.core.model.SortedColumns;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.plugins.Plugins;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import smile.math.MathEx;

/**
 * The trainers a worker or model server has, by name: the built-ins and every {@link Trainer}
 * declared in {@code META-INF/services/dev.perennial.core.training.Trainer} on the class path or in
 * the plug-in jars. Also the {@link ModelCodec} that admits exactly what they declare.
 */
public final class Trainers {
  /** Prefix of the resolved options in a version's stored properties. */
  public static final String OPTIONS_PREFIX = "options.";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern CLASS_NAME =
      Pattern.compile(
          "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
              + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");
  private static final List<String> JDK_PACKAGES =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  private final Map<String, Trainer<?>> byName;
  private final List<String> modelClasses;
  private final ClassLoader classLoader;
  private final ModelCodec codec;

  private Trainers(
      Map<String, Trainer<?>> byName, List<String> modelClasses, ClassLoader classLoader) {
    this.byName = byName;
    this.modelClasses = List.copyOf(modelClasses);
    this.classLoader = classLoader;
    this.codec = new ModelCodec(this.modelClasses, classLoader);
  }

  /** The trainers on the class path and in {@code plugins}. */
  public static Trainers from(Plugins plugins) {
    @SuppressWarnings("rawtypes")
    List<Trainer> found = plugins.services(Trainer.class);
    List<Trainer<?>> trainers = new ArrayList<>();
    found.forEach(t -> trainers.add((Trainer<?>) t));
    return of(trainers, plugins.classLoader());
  }

  /** The trainers on the class path: the built-ins and whatever jars the application has. */
  public static Trainers onClassPath() {
    return from(Plugins.none());
  }

  /**
   * Exactly {@code trainers}, their models' classes resolved through {@code classLoader}.
   *
   * @throws IllegalArgumentException when a name is malformed or taken twice (naming both classes),
   *     or a trainer asks the allowlist for too much
   */
  public static Trainers of(Collection<? extends Trainer<?>> trainers, ClassLoader classLoader) {
    Map<String, Trainer<?>> byName = new TreeMap<>();
    List<String> patterns = new ArrayList<>();
    for (Trainer<?> t : trainers) {
      String name = t.name();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "trainer "
                + t.getClass().getName()
                + " has the name '"
                + name
                + "': a name is 1-64 letters, digits, '_', '.' or '-'");
      }
      Trainer<?> before = byName.putIfAbsent(name, t);
      if (before != null) {
        throw new IllegalArgumentException(
            "two trainers are named "
                + name
                + ": "
                + before.getClass().getName()
                + " and "
                + t.getClass().getName());
      }
      for (String pattern : t.modelClasses()) {
        checkPattern(t, pattern);
        if (!patterns.contains(pattern)) {
          patterns.add(pattern);
        }
      }
    }
    return new Trainers(byName, patterns, Objects.requireNonNull(classLoader, "classLoader"));
  }

  /**
   * A class name, or a package's classes ({@code pkg.*}) or subpackages too ({@code pkg.**}) below
   * a top-level package; never the JDK's, never anything that is not a class pattern.
   */
  static void checkPattern(Trainer<?> t, String pattern) {
    String why = null;
    if (pattern == null || pattern.isBlank()) {
      why = "is empty";
    } else {
      String base =
          pattern.endsWith(".**")
              ? pattern.substring(0, pattern.length() - 3)
              : pattern.endsWith(".*") ? pattern.substring(0, pattern.length() - 2) : pattern;
      boolean wildcard = !base.equals(pattern);
      if (!CLASS_NAME.matcher(base).matches()) {
        why = "is not a class name, pkg.* or pkg.**";
      } else if (wildcard && !base.contains(".")) {
        why = "would admit a whole top-level package";
      } else if (JDK_PACKAGES.stream().anyMatch((base + ".")::startsWith)) {
        why = "is in the JDK, whose value types the allowlist already has";
      }
    }
    if (why != null) {
      throw new IllegalArgumentException(
          "trainer "
              + t.name()
              + " ("
              + t.getClass().getName()
              + ") asks the deserialization allowlist for '"
              + pattern
              + "', which "
              + why
              + ": refusing the trainer");
    }
  }

  /**
   * The trainer named {@code name}.
   *
   * @throws IllegalArgumentException naming the trainers there are, when none has that name
   */
  public Trainer<?> get(String name) {
    Trainer<?> t = byName.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "Invalid hyperparameters: hyperparameters.algorithm: no trainer named '"
              + name
              + "' here; the trainers are "
              + String.join(", ", byName.keySet()));
    }
    return t;
  }

  /** The trainers' names, sorted. */
  public Set<String> names() {
    return byName.keySet();
  }

  /** What the trainers add to the deserialization allowlist. */
  public List<String> modelClasses() {
    return modelClasses;
  }

  /** Where the trainers' model classes are found. */
  public ClassLoader classLoader() {
    return classLoader;
  }

  /** Loads bundles of models of these trainers and of nothing else. */
  public ModelCodec codec() {
    return codec;
  }

  /**
   * The run's trainer with its options resolved.
   *
   * @throws IllegalArgumentException naming each bad hyperparameter or option, or the trainers
   *     there are when the name is unknown
   */
  public Prepared<?> prepare(Hyperparameters hyperparameters) {
    Hyperparameters h = hyperparameters.withDefaults();
    new RequestProblems().addAll(h.problems("hyperparameters")).refuseIfAny("hyperparameters");
    return prepare(get(h.trainer()), h, TrainerSettings.of(h));
  }

  /**
   * A stored version's trainer with the options it was trained with, from the properties file
   * beside the model: to train it again exactly.
   */
  public Prepared<?> prepare(Properties stored) {
    Hyperparameters h = Hyperparameters.fromProperties(stored);
    Properties options = new Properties();
    for (String k : stored.stringPropertyNames()) {
      if (k.startsWith(OPTIONS_PREFIX)) {
        options.setProperty(k.substring(OPTIONS_PREFIX.length()), stored.getProperty(k));
      }
    }
    return prepare(get(h.trainer()), h, TrainerSettings.of(options));
  }

  /** Trains on every row of {@code table}: {@link #prepare} then {@link Prepared#fit}. */
  public ModelBundle train(
      Table table, Hyperparameters hyperparameters, TrainingProgress progress) {
    return prepare(hyperparameters).fit(table, progress);
  }

  private static <O extends TrainerOptions> Prepared<O> prepare(
      Trainer<O> trainer, Hyperparameters h, TrainerSettings settings) {
    O options = null;
    String refused = null;
    try {
      options = trainer.options(settings);
    } catch (IllegalArgumentException e) {
      refused = e.getMessage();
    }
    List<String> problems = new ArrayList<>(settings.problems(trainer.name()));
    if (refused != null) {
      problems.add(refused);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid options for trainer " + trainer.name() + ": " + String.join("; ", problems));
    }
    return new Prepared<>(trainer, Objects.requireNonNull(options, "options"), h);
  }

  /**
   * A trainer with resolved options, ready to fit.
   *
   * @param hyperparameters the run's, with defaults applied
   */
  public record Prepared<O extends TrainerOptions>(
      Trainer<O> trainer, O options, Hyperparameters hyperparameters) {

    /**
     * Encodes {@code table} as the trainer asks, seeds Smile's generator on this thread with the
     * run's seed, and fits.
     *
     * @throws TrainingCancelledException when {@code progress} was cancelled meanwhile
     */
    public ModelBundle fit(Table table, TrainingProgress progress) {
      return fit(table, null, progress);
    }

    /**
     * Like {@link #fit(Table, TrainingProgress)} on the rows of {@code table} at the indices {@code
     * rows} (ascending; null: every row): the same model as fitting {@code table.select(rows)},
     * encoded straight into the trainer's columns without that copy.
     */
    public ModelBundle fit(Table table, int[] rows, TrainingProgress progress) {
      checkRows(table, rows);
      progress.update("encode", 0);
      return fit(table, rows, encoder(table, rows, SortedColumns.of(table, rows)), progress);
    }

    /**
     * The encoder the trainer's encoding fits on the rows of {@code table} at {@code rows}, its
     * medians taken from {@code sorted} (those rows' columns sorted, which a training that profiles
     * the same rows sorts once for both).
     */
    public FeatureEncoder encoder(Table table, int[] rows, SortedColumns sorted) {
      return FeatureEncoder.fit(table, rows, trainer.encoding() == Encoding.ONE_HOT, sorted);
    }

    /**
     * Like {@link #fit(Table, int[], TrainingProgress)} with {@code encoder}, fitted by {@link
     * #encoder} on the same rows.
     */
    public ModelBundle fit(
        Table table, int[] rows, FeatureEncoder encoder, TrainingProgress progress) {
      checkRows(table, rows);
      progress.update("encode", 0);
      double[][] columns = encoder.encodeColumns(table, rows);
      int[] y = table.label(rows);
      long seed = hyperparameters.seed();
      // Smile draws subsamples from its thread-local generator; seed it on this thread.
      MathEx.setSeed(seed);
      progress.update("fit", 0);
      ScoringModel model =
          trainer.fit(TrainingData.ofColumns(columns, y, encoder.names(), seed), options, progress);
      if (progress.cancelled()) {
        throw new TrainingCancelledException();
      }
      if (model == null) {
        throw new IllegalStateException("trainer " + trainer.name() + " returned no model");
      }
      progress.update("fit", 1);
      return new ModelBundle(trainer.name(), encoder, model);
    }

    private static void checkRows(Table table, int[] rows) {
      if ((rows == null ? table.rows() : rows.length) == 0) {
        throw new IllegalArgumentException("no training rows");
      }
    }

    /**
     * What is stored beside the model: the run's hyperparameters, and the resolved options under
     * {@value Trainers#OPTIONS_PREFIX}.
     */
    public Properties properties() {
      Properties p = hyperparameters.toProperties();
      options.toProperties().forEach((k, v) -> p.setProperty(OPTIONS_PREFIX + k, (String) v));
      return p;
    }
  }
}
