package dev.perennial.workflows.registry;

/** Alias names the registry knows. */
public final class Aliases {
  /** The version that serves production traffic. */
  public static final String CHAMPION = "champion";

  /** The latest version that passed the gate and waits for its rollout. */
  public static final String CHALLENGER = "challenger";

  private Aliases() {}

  public static boolean isKnown(String alias) {
    return CHAMPION.equals(alias) || CHALLENGER.equals(alias);
  }

  /** Why {@code alias} is refused, naming the field and the names allowed; null when known. */
  public static String problem(String alias) {
    return isKnown(alias)
        ? null
        : "alias: must be "
            + CHAMPION
            + " or "
            + CHALLENGER
            + " (got "
            + (alias == null ? "nothing" : "'" + alias + "'")
            + ")";
  }
}
