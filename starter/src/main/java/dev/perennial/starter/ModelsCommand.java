package dev.perennial.starter;

import dev.perennial.activities.registry.ModelRegistry;
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

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ModelRegistry registry = connection.registry();
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
          String.join("; ", v.gate().reasons()));
    }
    out.printf("Model %s%n", model);
    table.print(out);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
