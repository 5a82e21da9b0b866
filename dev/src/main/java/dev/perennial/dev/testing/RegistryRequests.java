package dev.perennial.dev.testing;

import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.List;

/**
 * Registration requests and alias changes for {@link #MODEL} with everything else defaulted, for
 * the registry's tests and its activity adapter's.
 */
public final class RegistryRequests {
  /** The model every request and change here names. */
  public static final String MODEL = "churn";

  private RegistryRequests() {}

  /** A request with idempotency key {@code key} whose gate passed or failed. */
  public static RegistrationRequest request(String key, boolean passed) {
    GateDecision gate =
        new GateDecision(passed, List.of(passed ? "auc improved" : "auc dropped"), List.of(), null);
    return new RegistrationRequest(
        MODEL,
        key,
        null,
        null,
        Hyperparameters.defaults(),
        null,
        gate,
        Trigger.SCHEDULE,
        "wf-" + key,
        "run-of-" + key,
        null);
  }

  public static AliasChange change(String alias, Integer version, String reason) {
    return new AliasChange(MODEL, alias, version, reason, "tester");
  }
}
