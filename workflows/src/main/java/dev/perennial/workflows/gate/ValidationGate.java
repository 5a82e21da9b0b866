package dev.perennial.workflows.gate;

import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.Slicing;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The validation gate: a list of {@link GateRule}s, applied as plain deterministic code inside the
 * workflow so the decision and its reasons are part of the run's history. A candidate passes when
 * every rule that applies holds.
 *
 * <p>{@link #of(GatePolicy)} is the gate a {@code ContinuousTraining} request configures; a
 * pipeline of your own states its rules with {@link #of(GateRule...)}.
 */
public final class ValidationGate {
  private static final List<String> GUARDED = List.of("accuracy", "f1", "logLoss");

  private final List<GateRule> rules;

  private ValidationGate(List<GateRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** A gate of these rules, checked in this order. */
  public static ValidationGate of(GateRule... rules) {
    if (rules.length == 0) {
      throw new IllegalArgumentException("a gate needs at least one rule");
    }
    return new ValidationGate(List.of(rules));
  }

  /**
   * The gate a {@link GatePolicy} describes (defaults applied): AUC and log loss within their
   * absolute bounds; with a champion, AUC at least the champion's plus {@code minImprovement}, and
   * accuracy, F1 and log loss no worse than the champion's by more than {@code maxRegression}; then
   * its rules over slices, per-slice AUC first, fairness last.
   */
  public static ValidationGate of(GatePolicy policy) {
    GatePolicy p = (policy == null ? GatePolicy.defaults() : policy).withDefaults();
    List<GateRule> rules = new ArrayList<>();
    rules.add(GateRule.atLeast("auc", p.minAuc()));
    rules.add(GateRule.atMost("logLoss", p.maxLogLoss()));
    rules.add(GateRule.beatsChampion("auc", p.minImprovement()));
    for (String metric : GUARDED) {
      rules.add(GateRule.noWorseThanChampion(metric, p.maxRegression()));
    }
    if (p.sliceAuc() != null) {
      p.sliceAuc().forEach(r -> rules.add(r.rule()));
    }
    if (p.fairness() != null) {
      p.fairness().forEach(r -> rules.add(r.rule()));
    }
    return new ValidationGate(rules);
  }

  /** This gate with one more rule, checked last. */
  public ValidationGate and(GateRule rule) {
    List<GateRule> more = new ArrayList<>(rules);
    more.add(rule);
    return new ValidationGate(more);
  }

  /**
   * The slicings this gate's rules read, each once: what the evaluation must score per slice. Empty
   * for a gate without rules over slices.
   */
  public List<Slicing> slicings() {
    Set<Slicing> all = new LinkedHashSet<>();
    rules.forEach(r -> all.addAll(r.slicings()));
    return List.copyOf(all);
  }

  /**
   * Decides whether {@code candidate} may become champion, on overall metrics alone.
   *
   * @param candidate the candidate's held-out metrics
   * @param champion the champion's metrics on the same rows, or null
   * @param championVersion the champion's version number, or null
   * @throws IllegalArgumentException when a rule needs slices: use {@link #decide(Evaluation,
   *     Integer)}
   */
  public GateDecision decide(
      ModelMetrics candidate, ModelMetrics champion, Integer championVersion) {
    return decide(new Evaluation(candidate, champion, null, null), championVersion);
  }

  /**
   * Decides whether the evaluated candidate may become champion.
   *
   * @param evaluation candidate and champion (if any) on the same held-out rows, with the slices
   *     {@link #slicings()} names
   * @param championVersion the champion's version number, or null
   * @throws IllegalArgumentException when a rule needs slices the evaluation lacks, naming them
   */
  public GateDecision decide(Evaluation evaluation, Integer championVersion) {
    ModelMetrics candidate = evaluation.candidate();
    ModelMetrics champion = evaluation.champion();
    List<GateCheck> checks = new ArrayList<>();
    for (GateRule rule : rules) {
      GateCheck check = rule.check(evaluation, championVersion);
      if (check != null) {
        checks.add(check);
      }
    }
    List<String> reasons = new ArrayList<>();
    for (GateCheck c : checks) {
      if (!c.passed()) {
        reasons.add("failed " + c.rule() + ": candidate has " + GateRule.f(c.actual()));
      }
    }
    boolean passed = reasons.isEmpty();
    if (passed) {
      reasons.add(
          champion == null
              ? "passed the absolute thresholds; no champion to compare with"
              : "passed the absolute thresholds and the comparison with champion v"
                  + championVersion
                  + " (auc "
                  + GateRule.f(candidate.auc())
                  + " vs "
                  + GateRule.f(champion.auc())
                  + ")");
    }
    return new GateDecision(passed, List.copyOf(reasons), List.copyOf(checks), championVersion);
  }
}
