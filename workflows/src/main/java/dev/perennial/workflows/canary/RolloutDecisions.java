package dev.perennial.workflows.canary;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.registry.ModelVersion;
import io.temporal.failure.ApplicationFailure;

/** The rollout's decisions that need no workflow: pure functions of the policy and the figures. */
final class RolloutDecisions {
  private RolloutDecisions() {}

  /**
   * The champion's version a canary of {@code model}'s {@code version} is compared with; refuses a
   * model without one ({@code current} null) and a canary that already is champion.
   */
  static int championToBeat(String model, ModelVersion current, int version) {
    if (current == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "model "
              + model
              + " has no champion to compare a canary with: its first approved version is"
              + " promoted by ContinuousTraining directly",
          FailureTypes.INVALID_REQUEST);
    }
    if (current.version() == version) {
      throw ApplicationFailure.newNonRetryableFailure(
          "v" + version + " of " + model + " is already champion: nothing to roll out",
          FailureTypes.INVALID_REQUEST);
    }
    return current.version();
  }

  /** What a judged bake leads to. */
  enum AfterBake {
    /** The step passed: take the next one. */
    NEXT_STEP,
    /** A threshold was crossed: roll back and withdraw the version. */
    ROLL_BACK,
    /** Too little traffic, and the extensions are used up: end without a verdict. */
    INCONCLUSIVE,
    /** Too little traffic: bake the step once more. */
    BAKE_AGAIN
  }

  /** What the {@code attempt}-th (0-based) bake of a step leads to under {@code policy}. */
  static AfterBake afterBake(CanaryPolicy policy, Verdict verdict, int attempt) {
    return switch (verdict) {
      case PASS -> AfterBake.NEXT_STEP;
      case BREACH -> AfterBake.ROLL_BACK;
      case TOO_LITTLE_TRAFFIC ->
          policy.onLowTraffic() == LowTraffic.EXTEND && attempt >= policy.maxExtensions()
              ? AfterBake.INCONCLUSIVE
              : AfterBake.BAKE_AGAIN;
    };
  }

  /** The version that is champion after {@code outcome}. */
  static int championAfter(CanaryOutcome outcome, int version, int champion) {
    return outcome == CanaryOutcome.PROMOTED ? version : champion;
  }

  /**
   * One line for people saying how the rollout of {@code version} against {@code champion} ended.
   */
  static String message(RolloutMode mode, CanaryOutcome outcome, int version, int champion) {
    return switch (outcome) {
      case PROMOTED -> "v" + version + " is champion (was v" + champion + ")";
      case ROLLED_BACK ->
          mode == RolloutMode.SHADOW
              ? "v" + version + " withdrawn by its shadow; v" + champion + " stays"
              : "v" + version + " rolled back and withdrawn; v" + champion + " stays";
      default ->
          "v"
              + version
              + " "
              + outcome.name().toLowerCase().replace('_', ' ')
              + "; v"
              + champion
              + " stays champion";
    };
  }
}
