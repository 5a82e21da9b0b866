package dev.perennial.workflows.registry;

/**
 * Input of {@link RegistryActivities#setAlias}: point {@code alias} of {@code model} at {@code
 * version}. Repeating the same change is a no-op (no second audit entry).
 *
 * @param model model name
 * @param alias {@link Aliases#CHAMPION} or {@link Aliases#CHALLENGER}
 * @param version target version, or null to remove the alias
 * @param reason why, for the audit log
 * @param actor who or what: a workflow id or a user name
 */
public record AliasChange(
    String model, String alias, Integer version, String reason, String actor) {}
