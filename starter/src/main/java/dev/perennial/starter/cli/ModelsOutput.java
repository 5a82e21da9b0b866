package dev.perennial.starter.cli;

import dev.perennial.starter.ops.RegistryReads;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.search.SearchResult;
import dev.perennial.workflows.search.Trial;
import dev.perennial.workflows.training.Hyperparameters;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** How {@code perennial models} and the demo print a model's registered versions. */
public final class ModelsOutput {
  private ModelsOutput() {}

  /** One row per version: status, aliases, data, metrics, gate. */
  public static void table(RegistryReads.Listing listing, PrintWriter out) {
    TextTable table =
        new TextTable(
            "version",
            "status",
            "aliases",
            "trigger",
            "data",
            "algorithm",
            "AUC",
            "logloss",
            "F1",
            "vs champion",
            "gate");
    Map<String, Integer> aliases = listing.aliases();
    for (ModelVersion v : listing.versions()) {
      String names =
          aliases.entrySet().stream()
              .filter(e -> e.getValue() != null && e.getValue() == v.version())
              .map(Map.Entry::getKey)
              .sorted()
              .collect(Collectors.joining(","));
      var candidate = v.evaluation().candidate();
      var champion = v.evaluation().champion();
      table.row(
          "v" + v.version(),
          v.status(),
          names.isEmpty() ? null : names,
          v.trigger(),
          v.dataset().firstDay() + ".." + v.dataset().lastDay(),
          v.hyperparameters().algorithm(),
          f(candidate.auc()),
          f(candidate.logLoss()),
          f(candidate.f1()),
          champion == null ? null : "v" + v.gate().championVersion() + " AUC " + f(champion.auc()),
          v.rejection() != null
              ? "withdrawn: " + v.rejection().reason()
              : summary(v.gate().reasons()));
    }
    out.printf("Model %s%n", listing.model());
    table.print(out);
  }

  /** The registry's audit log as a table under a blank line. */
  static void audit(RegistryReads.Listing listing, PrintWriter out) {
    out.println();
    out.println("Audit log:");
    TextTable log = new TextTable("time", "action", "alias", "version", "was", "actor", "reason");
    listing
        .audit()
        .forEach(
            e ->
                log.row(
                    e.time(),
                    e.action(),
                    e.alias(),
                    e.version() == null ? null : "v" + e.version(),
                    e.previousVersion() == null ? null : "v" + e.previousVersion(),
                    e.actor(),
                    e.reason()));
    log.print(out);
  }

  /** One version in full: data, code, parameters, artifacts, every gate check. */
  static void version(ModelVersion v, PrintWriter out) {
    out.printf("Model %s v%d: %s%n", v.model(), v.version(), v.status());
    out.printf(
        "  registered  %s by %s (run %s), trigger %s%n",
        v.createdAt(), v.workflowId(), v.runId(), v.trigger());
    out.printf(
        "  data        dataset %s, %s..%s, %d objects, manifest %s%n",
        v.dataset().datasetVersion(),
        v.dataset().firstDay(),
        v.dataset().lastDay(),
        v.dataset().objects(),
        v.dataset().manifest().uri());
    out.printf("  code        %s%n", v.artifacts().codeVersion());
    if (v.cacheKey() != null) {
      out.printf("  cache key   %s (%s)%n", v.cacheKey().key(), v.cacheKey().codeVersion());
    }
    out.printf("  parameters  %s%n", v.hyperparameters());
    out.printf(
        "  model       %s (sha256 %s)%n",
        v.artifacts().model().uri(), v.artifacts().model().sha256());
    out.printf("  profile     %s%n", v.artifacts().referenceProfile().uri());
    out.printf("  evaluation  %s%n", v.evaluation().report().uri());
    out.printf("  candidate   %s%n", RunOutput.metrics(v.evaluation().candidate()));
    if (v.evaluation().champion() != null) {
      out.printf(
          "  champion    %s (v%s)%n",
          RunOutput.metrics(v.evaluation().champion()), v.gate().championVersion());
    }
    for (var check : v.gate().checks()) {
      out.printf(
          "  gate %s  %s: %s%n", check.passed() ? "pass" : "FAIL", check.rule(), f(check.actual()));
    }
    if (v.rejection() != null) {
      out.printf("  withdrawn   %s%n", v.rejection().reason());
    }
    if (v.search() != null) {
      search(v.search(), out);
    }
    out.flush();
  }

  /**
   * A search's trials, one row each: what varied, the score, where it trained; * marks the best.
   */
  static void search(SearchResult s, PrintWriter out) {
    out.printf(
        "  search      %s, %d trials, best by validation %s: trial %s%n",
        s.search().strategyOrDefault(),
        s.trials().size(),
        s.metric(),
        s.best() == null ? "none" : s.best());
    List<String> varied =
        s.search().ranges() == null
            ? List.of()
            : List.copyOf(new TreeSet<>(s.search().ranges().keySet()));
    TextTable table =
        new TextTable("trial", "state", s.metric(), "hyperparameters", "worker", "model");
    for (Trial t : s.trials()) {
      Properties p = t.hyperparameters().toProperties();
      String values =
          varied.stream()
              .map(
                  k -> k + "=" + p.getProperty(k, p.getProperty(Hyperparameters.PARAMS_PREFIX + k)))
              .collect(Collectors.joining(" "));
      table.row(
          (Integer.valueOf(t.number()).equals(s.best()) ? "*" : "") + t.number(),
          t.state(),
          t.score() == null ? null : f(t.score()),
          values,
          t.worker(),
          t.trained() == null ? t.failure() : t.trained().model().key());
    }
    table.print(out);
  }

  /** The first reason, with a count of the others (all of them: perennial models --version N). */
  private static String summary(List<String> reasons) {
    if (reasons.isEmpty()) {
      return null;
    }
    String first = reasons.get(0);
    return reasons.size() == 1 ? first : first + " (+" + (reasons.size() - 1) + " more)";
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
