package dev.perennial.starter.cli;

import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.starter.ops.RegistryReads;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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
        return Exit.FAILED;
      }
      ModelsOutput.version(v.get(), out);
      return 0;
    }
    RegistryReads.Listing listing = RegistryReads.listing(registry, model, audit);
    if (listing.versions().isEmpty()) {
      out.printf(
          "No versions of %s are registered. Train one with: perennial train --model %s --wait%n",
          model, model);
      out.flush();
      return 0;
    }
    ModelsOutput.table(listing, out);
    if (audit) {
      ModelsOutput.audit(listing, out);
    }
    out.flush();
    return 0;
  }
}
