package dev.perennial.starter.cli;

import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.starter.ops.RunProgress;
import dev.perennial.workflows.registry.ModelVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code perennial models}: a model's registered versions, metrics and aliases. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List a model's registered versions with metrics, gate decision and aliases.")
final class ModelsCommand implements Callable<Integer> {
  @Mixin CliConnection connection;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Option(names = "--audit", description = "Also print the registry's audit log.")
  boolean audit;

  @Option(
      names = "--version",
      paramLabel = "N",
      description =
          "Show one version in full: data, code, parameters, artifacts, every gate check.")
  Integer version;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ModelRegistry registry = connection.registry();
    if (version != null) {
      var v = registry.version(model, version);
      if (v.isEmpty()) {
        out.printf("%s has no version %d%n", model, version);
        out.flush();
        return PerennialCommand.FAILED;
      }
      printVersion(v.get(), out);
      return 0;
    }
    List<ModelVersion> versions = registry.versions(model);
    if (versions.isEmpty()) {
      out.printf(
          "No versions of %s are registered. Train one with: perennial train --model %s --wait%n",
          model, model);
      out.flush();
      return 0;
    }
    print(model, versions, registry.aliases(model), out);
    if (audit) {
      out.println();
      out.println("Audit log:");
      TextTable log = new TextTable("time", "action", "alias", "version", "was", "actor", "reason");
      registry
          .audit(model)
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
    out.flush();
    return 0;
  }

  static void print(
      String model, List<ModelVersion> versions, Map<String, Integer> aliases, PrintWriter out) {
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
    for (ModelVersion v : versions) {
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
    out.printf("Model %s%n", model);
    table.print(out);
  }

  static void printVersion(ModelVersion v, PrintWriter out) {
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
    out.printf("  parameters  %s%n", v.hyperparameters());
    out.printf(
        "  model       %s (sha256 %s)%n",
        v.artifacts().model().uri(), v.artifacts().model().sha256());
    out.printf("  profile     %s%n", v.artifacts().referenceProfile().uri());
    out.printf("  evaluation  %s%n", v.evaluation().report().uri());
    out.printf("  candidate   %s%n", RunProgress.metrics(v.evaluation().candidate()));
    if (v.evaluation().champion() != null) {
      out.printf(
          "  champion    %s (v%s)%n",
          RunProgress.metrics(v.evaluation().champion()), v.gate().championVersion());
    }
    for (var check : v.gate().checks()) {
      out.printf(
          "  gate %s  %s: %s%n", check.passed() ? "pass" : "FAIL", check.rule(), f(check.actual()));
    }
    out.flush();
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
