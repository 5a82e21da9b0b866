package dev.perennial.workflows.canary;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** What a canary rollout reads from the serving tier's logs. */
@ActivityInterface
public interface CanaryActivities {

  /**
   * Compares champion and canary over one window of the prediction log and the feedback labels that
   * have arrived for it. Read-only, so any retry gives the same answer for the same logs.
   */
  @ActivityMethod(name = "AnalyseCanary")
  CanaryAnalysis analyse(AnalysisWindow window);
}
