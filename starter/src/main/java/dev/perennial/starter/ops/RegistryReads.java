package dev.perennial.starter.ops;

import dev.perennial.core.registry.AuditEntry;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.workflows.registry.ModelVersion;
import java.util.List;
import java.util.Map;

/** What the registry holds for a model, as {@code perennial models} and the demo show it. */
public final class RegistryReads {
  private RegistryReads() {}

  /**
   * A model's registered versions and aliases.
   *
   * @param versions as the registry lists them; empty when none is registered
   * @param aliases alias name to version
   * @param audit the audit log; null when not asked for
   */
  public record Listing(
      String model,
      List<ModelVersion> versions,
      Map<String, Integer> aliases,
      List<AuditEntry> audit) {}

  /** The model's versions and aliases, with the audit log when {@code withAudit}. */
  public static Listing listing(ModelRegistry registry, String model, boolean withAudit) {
    List<ModelVersion> versions = registry.versions(model);
    return new Listing(
        model, versions, registry.aliases(model), withAudit ? registry.audit(model) : null);
  }
}
