package dev.perennial.workflows.canary;

import dev.perennial.workflows.RequestProblems;
import java.util.List;

/**
 * Input of the {@code CanaryRollout} workflow: roll {@code version} out against the current
 * champion, as a canary or a shadow. From the Temporal UI: {@code
 * {"model":"credit-default","version":4}}, or {@code
 * {"model":"credit-default","version":4,"mode":"SHADOW"}}.
 *
 * @param model model name
 * @param version the approved version to roll out
 * @param policy steps, bake time and thresholds; every field optional (see {@link CanaryPolicy})
 * @param actor who asks, for the audit log; defaults to the workflow id
 * @param mode CANARY (default) or SHADOW (see {@link RolloutMode})
 */
public record CanaryRolloutRequest(
    String model, Integer version, CanaryPolicy policy, String actor, RolloutMode mode) {

  /** A canary. */
  public CanaryRolloutRequest(String model, Integer version, CanaryPolicy policy, String actor) {
    this(model, version, policy, actor, null);
  }

  /** Same request with the mode's and the policy's defaults filled in. */
  public CanaryRolloutRequest withDefaults() {
    RolloutMode m = mode == null ? RolloutMode.CANARY : mode;
    return new CanaryRolloutRequest(
        model,
        version,
        policy == null ? CanaryPolicy.defaultsFor(m) : policy.withDefaultsFor(m),
        actor == null || actor.isBlank() ? null : actor,
        m);
  }

  public List<String> problems() {
    RequestProblems p =
        new RequestProblems()
            .name("model", model)
            .require(
                version != null && version >= 1, "version", "must be a version number, 1 or more");
    if (policy != null) {
      p.addAll(policy.problems("policy"));
    }
    return p.list();
  }
}
