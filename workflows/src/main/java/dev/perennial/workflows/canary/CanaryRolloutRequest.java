package dev.perennial.workflows.canary;

import dev.perennial.workflows.RequestProblems;
import java.util.List;

/**
 * Input of the {@code CanaryRollout} workflow: roll {@code version} out against the current
 * champion. From the Temporal UI: {@code {"model":"credit-default","version":4}}.
 *
 * @param model model name
 * @param version the approved version to roll out
 * @param policy steps, bake time and thresholds; every field optional (see {@link CanaryPolicy})
 * @param actor who asks, for the audit log; defaults to the workflow id
 */
public record CanaryRolloutRequest(
    String model, Integer version, CanaryPolicy policy, String actor) {

  /** Same request with the policy's defaults filled in. */
  public CanaryRolloutRequest withDefaults() {
    return new CanaryRolloutRequest(
        model,
        version,
        policy == null ? CanaryPolicy.defaults() : policy.withDefaults(),
        actor == null || actor.isBlank() ? null : actor);
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
