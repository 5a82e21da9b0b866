package dev.perennial.testkit;

import dev.perennial.workflows.drift.DriftActivities;
import dev.perennial.workflows.drift.DriftDecision;
import dev.perennial.workflows.drift.DriftReport;
import dev.perennial.workflows.drift.DriftVerdict;
import dev.perennial.workflows.drift.DriftWindow;
import dev.perennial.workflows.drift.FeatureDrift;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Drift measurement without serving logs. By default every window finds {@link
 * DriftVerdict#NO_DRIFT} over 10,000 rows against the model's champion; {@link #drifting} makes
 * named features drift (PSI 0.40) so the verdict is DRIFT; {@link #answerWith} answers as a
 * function of the window. Reports are placed under {@code drift/<model>/} like the real ones.
 */
public class FakeDrift implements DriftActivities {
  private final Function<String, Integer> champion;
  private final List<DriftWindow> windows = new ArrayList<>();
  private BiFunction<DriftWindow, Integer, DriftReport> answer = FakeDrift::noDrift;

  /** Drift that knows no registry: reports name no champion. */
  public FakeDrift() {
    this(model -> null);
  }

  /** Drift whose reports name the champion {@code registry} has. */
  public FakeDrift(FakeRegistry registry) {
    this(
        model -> {
          ModelVersion v = registry.alias(model, Aliases.CHAMPION);
          return v == null ? null : v.version();
        });
  }

  private FakeDrift(Function<String, Integer> champion) {
    this.champion = champion;
  }

  // ---- DriftActivities ----

  @Override
  public synchronized DriftReport measure(DriftWindow window) {
    windows.add(window);
    return answer.apply(window, champion.apply(window.model()));
  }

  // ---- Setting up ----

  /** Every window from now on finds no drift (the default). */
  public synchronized FakeDrift noDrift() {
    answer = FakeDrift::noDrift;
    return this;
  }

  /** Every window from now on finds {@code features} drifted, with verdict DRIFT. */
  public synchronized FakeDrift drifting(String... features) {
    List<String> names = List.of(features);
    answer =
        (w, ch) -> {
          List<FeatureDrift> drifted = names.stream().map(FakeDrift::drifted).toList();
          DriftDecision d =
              new DriftDecision(
                  DriftVerdict.DRIFT,
                  List.of(drifted.size() + " features drifted: " + String.join(", ", names)),
                  drifted.size(),
                  drifted.size());
          return report(w, ch, drifted, d);
        };
    return this;
  }

  /** Every window from now on is answered by {@code answer}. */
  public synchronized FakeDrift answerWith(Function<DriftWindow, DriftReport> answer) {
    Objects.requireNonNull(answer, "answer");
    this.answer = (w, ch) -> answer.apply(w);
    return this;
  }

  // ---- Reading ----

  /** The windows measured, in order. */
  public synchronized List<DriftWindow> windows() {
    return List.copyOf(windows);
  }

  private static DriftReport noDrift(DriftWindow w, Integer champion) {
    return report(
        w,
        champion,
        List.of(),
        new DriftDecision(DriftVerdict.NO_DRIFT, List.of("no feature drifted"), 0, 0));
  }

  private static DriftReport report(
      DriftWindow w, Integer champion, List<FeatureDrift> features, DriftDecision decision) {
    String under = "drift/" + w.model() + "/" + w.to().replace(':', '-');
    return new DriftReport(
        w.model(),
        champion,
        w.from(),
        w.to(),
        10_000,
        0,
        features,
        null,
        decision,
        Records.ref(under + ".html"),
        Records.ref(under + ".json"));
  }

  private static FeatureDrift drifted(String feature) {
    return new FeatureDrift(
        feature,
        "NUMERIC",
        10_000,
        0.0,
        0.0,
        0.40,
        0.25,
        1e-12,
        null,
        null,
        0.30,
        1.0,
        null,
        true,
        false,
        "PSI 0.40 >= 0.20",
        List.of(),
        List.of(),
        List.of());
  }
}
