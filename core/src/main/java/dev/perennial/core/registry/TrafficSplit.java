package dev.perennial.core.registry;

import java.util.Objects;

/**
 * How a model's traffic is routed beside its champion, at most one of two ways at a time:
 *
 * <ul>
 *   <li>a <b>canary</b>: {@code canaryPercent} % of the requests are answered by {@code
 *       canaryVersion}, the rest by the champion;
 *   <li>a <b>shadow</b>: the champion answers every request, and {@code shadowPercent} % of them
 *       are also scored by {@code shadowVersion}, whose answers are logged (flagged {@code shadow})
 *       and sent to nobody.
 * </ul>
 *
 * Kept in the registry ({@code models/<model>/traffic.json}) so every server routes the same way
 * and a rollout's traffic shifts survive restarts. A server that predates shadows reads a shadow
 * split as champion only, which is safe: it answers with the champion and scores nothing more.
 *
 * @param canaryVersion the canary, or null when there is none
 * @param canaryPercent 0 to 100; 0 without a canary
 * @param revision increases with every change
 * @param lastChange the audit entry of the latest change, null before the first
 * @param shadowVersion the shadow, or null when there is none (splits written before shadows)
 * @param shadowPercent share of requests the shadow scores, 0 to 100; 0 without a shadow
 */
public record TrafficSplit(
    Integer canaryVersion,
    int canaryPercent,
    long revision,
    AuditEntry lastChange,
    Integer shadowVersion,
    int shadowPercent) {

  /** All traffic to the champion. */
  public static final TrafficSplit CHAMPION_ONLY = new TrafficSplit(null, 0, 0, null);

  /** A split without a shadow, as written before shadows. */
  public TrafficSplit(
      Integer canaryVersion, int canaryPercent, long revision, AuditEntry lastChange) {
    this(canaryVersion, canaryPercent, revision, lastChange, null, 0);
  }

  /** The version beside the champion, canary or shadow, or null when there is none. */
  public Integer candidate() {
    return canaryVersion != null ? canaryVersion : shadowVersion;
  }

  boolean sameRouting(Integer version, int percent, boolean shadow) {
    return shadow
        ? canaryVersion == null
            && Objects.equals(shadowVersion, version)
            && shadowPercent == percent
        : shadowVersion == null
            && Objects.equals(canaryVersion, version)
            && canaryPercent == percent;
  }
}
