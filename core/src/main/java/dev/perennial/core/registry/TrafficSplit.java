package dev.perennial.core.registry;

/**
 * How a model's traffic is split: {@code canaryPercent} % to the canary version, the rest to the
 * champion. Kept in the registry ({@code models/<model>/traffic.json}) so every server routes the
 * same way and a rollout's traffic shifts survive restarts.
 *
 * @param canaryVersion the canary, or null when there is none
 * @param canaryPercent 0 to 100; 0 without a canary
 * @param revision increases with every change
 * @param lastChange the audit entry of the latest change, null before the first
 */
public record TrafficSplit(
    Integer canaryVersion, int canaryPercent, long revision, AuditEntry lastChange) {

  /** All traffic to the champion. */
  public static final TrafficSplit CHAMPION_ONLY = new TrafficSplit(null, 0, 0, null);

  boolean sameRouting(Integer version, int percent) {
    return java.util.Objects.equals(canaryVersion, version) && canaryPercent == percent;
  }
}
