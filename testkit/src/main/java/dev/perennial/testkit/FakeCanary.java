package dev.perennial.testkit;

import dev.perennial.workflows.canary.AnalysisWindow;
import dev.perennial.workflows.canary.CanaryActivities;
import dev.perennial.workflows.canary.CanaryAnalysis;
import dev.perennial.workflows.canary.VersionStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Canary analysis without serving logs. By default every window is {@link #healthy()}: both
 * versions served 1,000 requests with one error, p99 20 ms, and 500 labels at log loss 0.40 and AUC
 * 0.85, so every step of the default policy passes and a rollout promotes. Other answers: {@link
 * #breaching()}, {@link #breachingFrom(int)}, {@link #noTraffic()}, or any function of the window
 * with {@link #answerWith}.
 */
public class FakeCanary implements CanaryActivities {
  private final List<AnalysisWindow> windows = new ArrayList<>();
  private Function<AnalysisWindow, CanaryAnalysis> answer = FakeCanary::healthyAnalysis;
  private int breachFrom;

  // ---- CanaryActivities ----

  @Override
  public synchronized CanaryAnalysis analyse(AnalysisWindow window) {
    windows.add(window);
    if (breachFrom > 0 && windows.size() >= breachFrom) {
      return breachingAnalysis(window);
    }
    return answer.apply(window);
  }

  // ---- Setting up ----

  /** Every window from now on passes (the default). */
  public synchronized FakeCanary healthy() {
    return answerWith(FakeCanary::healthyAnalysis);
  }

  /**
   * Every window from now on breaches: the canary fails 10 % of its requests, the champion 0.1 %,
   * far beyond the default allowance and its noise.
   */
  public synchronized FakeCanary breaching() {
    return answerWith(FakeCanary::breachingAnalysis);
  }

  /** Windows pass until the {@code n}-th analysis (1 = the first), which breaches, as all after. */
  public synchronized FakeCanary breachingFrom(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("analyses count from 1");
    }
    breachFrom = n;
    return this;
  }

  /** No traffic at all in any window: a rollout extends its bake, then ends inconclusive. */
  public synchronized FakeCanary noTraffic() {
    return answerWith(
        w ->
            new CanaryAnalysis(
                w, VersionStats.empty(w.champion()), VersionStats.empty(w.canary()), 0));
  }

  /** Every window from now on is answered by {@code answer}. */
  public synchronized FakeCanary answerWith(Function<AnalysisWindow, CanaryAnalysis> answer) {
    this.answer = Objects.requireNonNull(answer, "answer");
    this.breachFrom = 0;
    return this;
  }

  // ---- Reading ----

  /** The windows analysed, in order: one per bake. */
  public synchronized List<AnalysisWindow> windows() {
    return List.copyOf(windows);
  }

  /** Healthy figures of {@code version}: 1,000 requests, one error, good online quality. */
  public static VersionStats healthyStats(int version) {
    return new VersionStats(version, 1_000, 1_000, 1, 20.0, 500, 0.40, 0.85, 0.2, 0.02, 0.015);
  }

  private static CanaryAnalysis healthyAnalysis(AnalysisWindow w) {
    return new CanaryAnalysis(w, healthyStats(w.champion()), healthyStats(w.canary()), 2);
  }

  private static CanaryAnalysis breachingAnalysis(AnalysisWindow w) {
    VersionStats ok = healthyStats(w.canary());
    VersionStats failing =
        new VersionStats(
            ok.version(),
            ok.requests(),
            ok.rows(),
            100,
            ok.p99LatencyMs(),
            ok.labelled(),
            ok.logLoss(),
            ok.auc(),
            ok.meanProbability(),
            ok.logLossStdError(),
            ok.aucStdError());
    return new CanaryAnalysis(w, healthyStats(w.champion()), failing, 2);
  }
}
