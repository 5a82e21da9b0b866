package dev.perennial.workflows.cache;

import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.VersionStatus;
import java.util.List;

/**
 * A run whose data, options and code equal a registered version's: it trains nothing, evaluates
 * nothing, registers nothing and rolls nothing out, and ends naming that version. A version that is
 * not champion stays where it is: the cache never promotes one again (roll back to it for that),
 * and never retrains one the gate refused or a canary withdrew (force the run for that).
 *
 * @param version the version with the same key (the champion when it is one of them)
 * @param champion whether that version is the model's champion
 * @param message one line for people, e.g. {@code unchanged: same data, same parameters and code as
 *     v7 (champion); nothing trained}
 */
public record CacheHit(int version, boolean champion, String message) {

  /**
   * The hit {@code lookup} makes for a model whose champion is {@code champion} (null: none), or
   * null when no version matches.
   */
  public static CacheHit of(CacheLookup lookup, ModelVersion champion) {
    if (lookup == null || lookup.matches().isEmpty() || lookup.latest() == null) {
      return null;
    }
    String same = "unchanged: same data, same parameters and code as v";
    if (champion != null && lookup.matches().contains(champion.version())) {
      return new CacheHit(
          champion.version(), true, same + champion.version() + " (champion); nothing trained");
    }
    ModelVersion v = lookup.latest();
    String stays =
        champion == null ? "the model has no champion" : "champion stays v" + champion.version();
    String why;
    if (v.status() == VersionStatus.REJECTED && v.rejection() != null) {
      why =
          " (withdrawn: "
              + v.rejection().reason()
              + "); nothing trained or rolled out, "
              + stays
              + "; force the run to train and judge it again";
    } else if (v.status() == VersionStatus.REJECTED) {
      List<String> reasons = v.gate() == null ? List.of() : v.gate().reasons();
      why =
          " (refused by the gate"
              + (reasons == null || reasons.isEmpty() ? "" : ": " + String.join("; ", reasons))
              + "); nothing trained, "
              + stays
              + "; force the run to train and judge it again";
    } else {
      why =
          " (approved, not champion: "
              + (champion == null
                  ? "the model has no champion"
                  : "champion is v" + champion.version())
              + "); nothing trained and not promoted again: roll back to v"
              + v.version()
              + " to serve it, or force the run to train anew";
    }
    return new CacheHit(v.version(), false, same + v.version() + why);
  }
}
