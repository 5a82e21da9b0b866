package dev.perennial.core.registry;

/**
 * One line of a model's audit log: who changed what in the registry, when and why. Entries are
 * written once and never changed.
 *
 * @param action what happened
 * @param model model name
 * @param alias the alias changed; null for {@link Action#REGISTER} and {@link Action#REJECT}
 * @param version the version registered or now aliased; null when an alias was cleared
 * @param previousVersion the version the alias pointed at before; null if none (and for register)
 * @param reason why, in words
 * @param actor a workflow id or a user name
 * @param time ISO-8601 instant
 */
public record AuditEntry(
    Action action,
    String model,
    String alias,
    Integer version,
    Integer previousVersion,
    String reason,
    String actor,
    String time) {

  /** Kinds of registry change. */
  public enum Action {
    /** A new version was registered. */
    REGISTER,
    /** An alias was pointed at a version. */
    SET_ALIAS,
    /** An alias was removed. */
    CLEAR_ALIAS,
    /** The champion/canary traffic split changed ({@code alias} is "canary"). */
    SET_TRAFFIC,
    /** An approved version was withdrawn (its canary breached, say). */
    REJECT
  }
}
