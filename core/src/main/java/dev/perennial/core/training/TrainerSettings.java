package dev.perennial.core.training;

import dev.perennial.workflows.training.Hyperparameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The text a {@link Trainer} reads its options from: a run's hyperparameters (the typed fields that
 * are set, and the params) or the options stored beside a version. Each getter returns the default
 * when the key is absent; a value that does not parse is recorded as a problem naming the key, and
 * Perennial refuses the run with all problems at once. Params the trainer never asked for are
 * refused the same way, so a misspelt option never goes unnoticed.
 */
public final class TrainerSettings {
  /** The typed fields that are options, not the run's own settings. */
  private static final List<String> TYPED_OPTIONS =
      List.of(
          "trees",
          "maxDepth",
          "maxNodes",
          "nodeSize",
          "shrinkage",
          "subsample",
          "lambda",
          "maxIterations");

  private final Map<String, String> values;
  private final Map<String, String> labels;
  private final Set<String> mustBeRead;
  private final Set<String> read = new LinkedHashSet<>();
  private final List<String> problems = new ArrayList<>();

  private TrainerSettings(
      Map<String, String> values, Map<String, String> labels, Set<String> mustBeRead) {
    this.values = values;
    this.labels = labels;
    this.mustBeRead = mustBeRead;
  }

  /**
   * The typed fields of {@code h} that are set (not {@code algorithm}, {@code validationFraction}
   * or {@code seed}, which are the run's) and its params, a param winning over a typed field of the
   * same name. Only params must be options of the trainer: typed fields it does not use are
   * ignored.
   */
  public static TrainerSettings of(Hyperparameters h) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    Object[] typed = {
      h.trees(),
      h.maxDepth(),
      h.maxNodes(),
      h.nodeSize(),
      h.shrinkage(),
      h.subsample(),
      h.lambda(),
      h.maxIterations()
    };
    for (int i = 0; i < typed.length; i++) {
      if (typed[i] != null) {
        values.put(TYPED_OPTIONS.get(i), typed[i].toString());
        labels.put(TYPED_OPTIONS.get(i), "hyperparameters." + TYPED_OPTIONS.get(i));
      }
    }
    Set<String> params = new LinkedHashSet<>();
    if (h.params() != null) {
      new TreeMap<>(h.params())
          .forEach(
              (k, v) -> {
                values.put(k, v);
                labels.put(k, "hyperparameters.params." + k);
                params.add(k);
              });
    }
    return new TrainerSettings(values, labels, params);
  }

  /** Options as stored by {@link TrainerOptions#toProperties()}; every key must be an option. */
  public static TrainerSettings of(Properties p) {
    Map<String, String> values = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      values.put(k, p.getProperty(k));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    values.keySet().forEach(k -> labels.put(k, k));
    return new TrainerSettings(values, labels, new LinkedHashSet<>(values.keySet()));
  }

  /** Whether {@code key} was given. */
  public boolean has(String key) {
    read.add(key);
    return values.containsKey(key);
  }

  /** A whole number. */
  public int integer(String key, int defaultValue) {
    String v = value(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      return refuse(key, "must be a whole number", v, defaultValue);
    }
  }

  /** A number. */
  public double decimal(String key, double defaultValue) {
    String v = value(key);
    if (v == null) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      return refuse(key, "must be a number", v, defaultValue);
    }
  }

  /** {@code true} or {@code false}. */
  public boolean flag(String key, boolean defaultValue) {
    String v = value(key);
    if (v == null) {
      return defaultValue;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> refuse(key, "must be true or false", v, defaultValue);
    };
  }

  /** Text as given. */
  public String text(String key, String defaultValue) {
    String v = value(key);
    return v == null ? defaultValue : v;
  }

  /** One of an enum's constants, by name, ignoring case. */
  public <E extends Enum<E>> E choice(String key, E defaultValue) {
    String v = value(key);
    if (v == null) {
      return defaultValue;
    }
    for (E e : defaultValue.getDeclaringClass().getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.strip())) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : defaultValue.getDeclaringClass().getEnumConstants()) {
      names.add(e.name());
    }
    return refuse(key, "must be one of " + String.join(", ", names), v, defaultValue);
  }

  /**
   * Everything wrong so far, each naming its key: values that did not parse, and given keys that
   * {@code trainer} never read.
   */
  List<String> problems(String trainer) {
    List<String> all = new ArrayList<>(problems);
    for (String k : mustBeRead) {
      if (!read.contains(k)) {
        all.add(
            labels.get(k)
                + ": not an option of "
                + trainer
                + (read.isEmpty()
                    ? ", which takes none"
                    : " (it takes " + String.join(", ", read) + ")"));
      }
    }
    return all;
  }

  private String value(String key) {
    read.add(key);
    return values.get(key);
  }

  private <T> T refuse(String key, String what, String got, T fallback) {
    problems.add(labels.get(key) + ": " + what + " (got '" + got + "')");
    return fallback;
  }
}
