package dev.perennial.workflows.registry;

/**
 * Input of {@link RegistryActivities#setTrafficSplit}: send {@code canaryPercent} % of the model's
 * traffic to {@code canaryVersion}, the rest to the champion; or, with {@code shadow}, let the
 * champion answer every request and have {@code canaryVersion} score {@code canaryPercent} % of
 * them beside it, answering nobody. {@code null} and 0 end either. Repeating the same split is a
 * no-op.
 *
 * @param shadow true to shadow rather than answer (absent in changes recorded before shadows)
 */
public record TrafficChange(
    String model,
    Integer canaryVersion,
    int canaryPercent,
    String reason,
    String actor,
    boolean shadow) {

  /** A canary change. */
  public TrafficChange(
      String model, Integer canaryVersion, int canaryPercent, String reason, String actor) {
    this(model, canaryVersion, canaryPercent, reason, actor, false);
  }

  /** {@code version} scores {@code percent} % of the requests beside the champion. */
  public static TrafficChange shadow(
      String model, int version, int percent, String reason, String actor) {
    return new TrafficChange(model, version, percent, reason, actor, true);
  }

  /** All traffic back to the champion: no canary, no shadow. */
  public static TrafficChange championOnly(String model, String reason, String actor) {
    return new TrafficChange(model, null, 0, reason, actor);
  }
}
