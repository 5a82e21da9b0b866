package dev.perennial.activities.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.perennial.core.model.ReferenceProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CategoricalDriftTest {
  static final List<String> KNOWN = List.of("a", "b", "c");

  /** 100 training rows: a 50, b 30, c 0, missing 15, unknown 5. */
  static String[] training() {
    List<String> rows = new ArrayList<>();
    rows.addAll(Collections.nCopies(50, "a"));
    rows.addAll(Collections.nCopies(30, "b"));
    rows.addAll(Collections.nCopies(15, null));
    rows.addAll(Collections.nCopies(5, "legacy"));
    return rows.toArray(new String[0]);
  }

  static CategoricalDrift.Result stream(String[] training, String... current) {
    CategoricalDrift drift =
        new CategoricalDrift(ReferenceProfile.categorical(training, KNOWN), training.length);
    drift.acceptAll(current);
    return drift.result();
  }

  @Test
  void countsCategoriesMissingAndUnseenAgainstTheTrainingCounts() {
    List<String> window = new ArrayList<>();
    window.addAll(Collections.nCopies(30, "a"));
    window.addAll(Collections.nCopies(40, "b"));
    window.addAll(Collections.nCopies(10, "c"));
    window.addAll(Collections.nCopies(10, null));
    window.addAll(Collections.nCopies(6, "new-1"));
    window.addAll(Collections.nCopies(3, "new-2"));
    window.add("__missing__"); // spelled like a reserved name: unknown, not missing
    CategoricalDrift.Result r = stream(training(), window.toArray(new String[0]));

    assertThat(r.categories()).containsExactly("a", "b", "c", "__missing__", "__unknown__");
    assertThat(r.count()).isEqualTo(100);
    assertThat(r.missingRate()).isCloseTo(0.10, within(1e-12));
    assertThat(r.currentShares()).containsExactly(0.30, 0.40, 0.10, 0.10, 0.10);
    // Training shares are sums of 1/100, so equal to these only to rounding.
    assertThat(r.referenceShares())
        .containsExactly(new double[] {0.50, 0.30, 0.00, 0.15, 0.05}, within(1e-12));
    assertThat(r.unseen())
        .containsExactly(
            java.util.Map.entry("new-1", 6L),
            java.util.Map.entry("new-2", 3L),
            java.util.Map.entry("__missing__", 1L));
    assertThat(r.unseenTruncated()).isFalse();

    // Same table through the exact function (itself checked against scipy):
    // training [50, 30, 0, 15, 5] vs window [30, 40, 10, 10, 10].
    DriftStatistics.ChiSquare exact =
        DriftStatistics.chiSquare(new long[] {50, 30, 0, 15, 5}, new long[] {30, 40, 10, 10, 10});
    assertThat(r.chiSquare()).isEqualTo(exact);
    // scipy 1.17.1: stats.chi2_contingency([[50, 30, 0, 15, 5], [30, 40, 10, 10, 10]],
    //   correction=False) -> statistic 19.095238095238095, pvalue 0.0007527940332072555, dof 4
    assertThat(r.chiSquare().statistic()).isCloseTo(19.095238095238095, within(1e-10));
    assertThat(r.chiSquare().pValue()).isCloseTo(0.0007527940332072555, within(1e-13));
    assertThat(r.chiSquare().degreesOfFreedom()).isEqualTo(4);
    // e = np.maximum([.5, .3, 0, .15, .05], 1e-4); a = np.maximum([.3, .4, .1, .1, .1], 1e-4)
    // np.sum((a - e) * np.log(a / e)) -> 0.8759486988020974
    assertThat(r.psi()).isCloseTo(0.8759486988020974, within(1e-12));
    // jensenshannon([.5, .3, 0, .15, .05], [.3, .4, .1, .1, .1], base=2) -> 0.2883670219652478
    assertThat(r.jensenShannon()).isCloseTo(0.2883670219652478, within(1e-12));
  }

  @Test
  void unseenNamesAreCappedButAllCounted() {
    String[] window = new String[CategoricalDrift.UNSEEN_NAMES_CAP + 5];
    for (int i = 0; i < window.length; i++) {
      window[i] = "v" + i;
    }
    CategoricalDrift.Result r = stream(training(), window);
    assertThat(r.unseen()).hasSize(CategoricalDrift.UNSEEN_NAMES_CAP).containsKey("v0");
    assertThat(r.unseenTruncated()).isTrue();
    assertThat(r.currentShares()[4]).isEqualTo(1.0);
  }

  @Test
  void emptyWindowSaysSoWithNaNStatistics() {
    CategoricalDrift.Result r = stream(training());
    assertThat(r.empty()).isTrue();
    assertThat(r.missingRate()).isNaN();
    assertThat(r.chiSquare().statistic()).isNaN();
    assertThat(r.chiSquare().pValue()).isNaN();
    assertThat(r.psi()).isNaN();
    assertThat(r.jensenShannon()).isNaN();
    assertThat(r.currentShares()).containsOnly(0.0);
  }

  @Test
  void allMissingWindowIsAShiftToMissing() {
    CategoricalDrift.Result r = stream(training(), null, null, null, null);
    assertThat(r.missingRate()).isEqualTo(1.0);
    assertThat(r.currentShares()).containsExactly(0.0, 0.0, 0.0, 1.0, 0.0);
    // Category c is empty on both sides and dropped:
    // scipy 1.17.1: stats.chi2_contingency([[50, 30, 15, 5], [0, 0, 4, 0]], correction=False)
    //   -> statistic 18.61052631578947, pvalue 0.00032906975746865, dof 3
    assertThat(r.chiSquare().statistic()).isCloseTo(18.61052631578947, within(1e-10));
    assertThat(r.chiSquare().pValue()).isCloseTo(0.00032906975746865, within(1e-15));
    assertThat(r.chiSquare().degreesOfFreedom()).isEqualTo(3);
    assertThat(r.psi()).isGreaterThan(0.25);
  }

  @Test
  void constantWindowMatchingAConstantReferenceIsNoDrift() {
    String[] allA = Collections.nCopies(40, "a").toArray(new String[0]);
    CategoricalDrift.Result r = stream(allA, "a", "a", "a");
    // One category seen on either side: dof 0, nothing can differ.
    assertThat(r.chiSquare()).isEqualTo(new DriftStatistics.ChiSquare(0, 0, 1));
    // The training share of "a" is forty times 1/40 added up: 1 to rounding. JS is taken from the
    // counts, so it is exactly 0.
    assertThat(r.psi()).isCloseTo(0, within(1e-15));
    assertThat(r.jensenShannon()).isZero();
  }

  @Test
  void referenceWithoutRowsCannotBeCompared() {
    CategoricalDrift.Result r = stream(new String[0], "a", "b");
    assertThat(r.count()).isEqualTo(2);
    assertThat(r.chiSquare().statistic()).isNaN();
    assertThat(r.psi()).isNaN();
    assertThat(r.jensenShannon()).isNaN();
  }
}
