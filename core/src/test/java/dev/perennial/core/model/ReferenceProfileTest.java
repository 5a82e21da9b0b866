package dev.perennial.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReferenceProfileTest {

  @Test
  void numericProfileOfOneToTenWithAMissingValue() {
    double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Double.NaN};
    ReferenceProfile.NumericProfile p = ReferenceProfile.numeric(v);
    assertThat(p.count()).isEqualTo(10);
    assertThat(p.missingRate()).isCloseTo(1 / 11.0, within(1e-12));
    assertThat(p.mean()).isEqualTo(5.5);
    // Population variance of 1..10 is (10^2 - 1) / 12 = 8.25.
    assertThat(p.std()).isCloseTo(Math.sqrt(8.25), within(1e-12));
    // Deciles by linear interpolation over positions 0..9: q(k/10) = 1 + 0.9 k.
    for (int k = 0; k <= 10; k++) {
      assertThat(p.quantiles()[k]).isCloseTo(1 + 0.9 * k, within(1e-12));
    }
    // Edges 1.9, 2.8, ..., 9.1: each of the 10 values lands in its own bin.
    assertThat(p.histogram()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
  }

  @Test
  void categoricalFrequenciesCountMissingAndUnknown() {
    var p =
        ReferenceProfile.categorical(
            new String[] {"a", "a", "b", null, "zzz"}, List.of("a", "b", "c"));
    assertThat(p.frequencies())
        .containsEntry("a", 0.4)
        .containsEntry("b", 0.2)
        .containsEntry("c", 0.0)
        .containsEntry(ReferenceProfile.MISSING, 0.2)
        .containsEntry(ReferenceProfile.UNKNOWN, 0.2);
  }

  @Test
  void anInfiniteValueIsRefusedInsteadOfGivingNaNDeciles() {
    double[] v = {1, 2, Double.POSITIVE_INFINITY, 4, Double.NaN};
    // Interpolating towards an infinity gave NaN deciles, which drift detection then failed on.
    assertThatThrownBy(() -> ReferenceProfile.numeric(v))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 of 5 values are infinite, which has no quantiles");
  }
}
