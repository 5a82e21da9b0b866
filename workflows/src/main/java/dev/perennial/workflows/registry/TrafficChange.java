package dev.perennial.workflows.registry;

/**
 * Input of {@link RegistryActivities#setTrafficSplit}: send {@code canaryPercent} % of the model's
 * traffic to {@code canaryVersion}, the rest to the champion. {@code null} and 0 end the canary.
 * Repeating the same split is a no-op.
 */
public record TrafficChange(
    String model, Integer canaryVersion, int canaryPercent, String reason, String actor) {

  /** All traffic back to the champion. */
  public static TrafficChange championOnly(String model, String reason, String actor) {
    return new TrafficChange(model, null, 0, reason, actor);
  }
}
