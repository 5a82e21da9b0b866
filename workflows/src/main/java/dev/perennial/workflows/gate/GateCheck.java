package dev.perennial.workflows.gate;

/**
 * One rule the gate applied.
 *
 * @param rule what was checked, e.g. {@code auc >= 0.70} or {@code auc improves on champion v3}
 * @param actual the candidate's value
 * @param limit the bound it was held to
 * @param passed whether it held
 */
public record GateCheck(String rule, double actual, double limit, boolean passed) {

  /**
   * A check of {@code actual} against {@code limit}: {@code actual >= limit} when {@code atLeast},
   * else {@code actual <= limit}. NaN never passes.
   */
  public static GateCheck of(String rule, double actual, double limit, boolean atLeast) {
    boolean held = !Double.isNaN(actual) && (atLeast ? actual >= limit : actual <= limit);
    return new GateCheck(rule, actual, limit, held);
  }
}
