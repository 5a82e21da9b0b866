package dev.perennial.testkit;

/**
 * One line of {@link FakeRegistry}'s audit log, as the real registry writes it (without the time).
 *
 * @param action what happened
 * @param alias the alias changed ({@code "canary"} for traffic); null for register and reject
 * @param version the version registered, aliased or given traffic; null when cleared
 * @param previousVersion what the alias or canary named before; null if nothing
 * @param reason why, in words
 * @param actor a workflow id or a user name
 */
public record AuditEntry(
    Action action,
    String alias,
    Integer version,
    Integer previousVersion,
    String reason,
    String actor) {

  /** Kinds of registry change. */
  public enum Action {
    /** A new version was registered. */
    REGISTER,
    /** An alias was pointed at a version. */
    SET_ALIAS,
    /** An alias was removed. */
    CLEAR_ALIAS,
    /** The champion/canary traffic split changed. */
    SET_TRAFFIC,
    /** An approved version was withdrawn. */
    REJECT
  }
}
