package dev.perennial.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.Table;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-slice metrics on eight hand-checked rows. */
class SliceScoresTest {
  static final FeatureSchema SCHEMA =
      new FeatureSchema(
          "m",
          "y",
          List.of(
              FeatureSpec.categorical("region", List.of("north", "south"), null),
              FeatureSpec.numeric("age", 18, 100, null)));

  //                              row:   1        2        3        4        5        6     7   8
  static final String[] REGION = {"north", "north", "north", "north", "south", "south", null, "z"};
  static final double[] AGE = {20, 25, 35, 40, 50, Double.NaN, 30, 60};
  static final int[] Y = {1, 0, 1, 0, 1, 0, 1, 0};
  static final double[] CANDIDATE = {0.9, 0.2, 0.6, 0.7, 0.3, 0.4, 0.8, 0.1};
  static final double[] CHAMPION = {0.9, 0.2, 0.8, 0.1, 0.7, 0.2, 0.8, 0.1};

  static Table table() {
    return new Table(
        SCHEMA,
        new double[][] {null, AGE},
        new String[][] {REGION, null},
        Y,
        new String[] {"d", "d", "d", "d", "d", "d", "d", "d"});
  }

  @Test
  void eachCategoryIsScoredOnItsOwnRowsWithMissingLast() {
    SliceResults r =
        SliceScores.of(table(), List.of(Slicing.byValue("region")), CANDIDATE, CHAMPION).get(0);

    assertThat(r.slices())
        .extracting(SliceMetrics::value)
        .containsExactly("north", "south", "z", "missing");
    SliceMetrics north = r.slices().get(0);
    assertThat(north.rows()).isEqualTo(4);
    assertThat(north.positives()).isEqualTo(2);
    // Candidate on rows 1-4: positives 0.9, 0.6; negatives 0.2, 0.7 -> 3 of 4 pairs ordered.
    assertThat(north.candidate().auc()).isEqualTo(0.75);
    assertThat(north.champion().auc()).isEqualTo(1.0);
    // 0.9, 0.6 and 0.7 are at least 0.5.
    assertThat(north.candidatePredictedPositives()).isEqualTo(3);
    assertThat(north.candidate().recall()).isEqualTo(1.0);
    SliceMetrics south = r.slices().get(1);
    // Rows 5, 6: the candidate ranks the negative above the positive, the champion does not.
    assertThat(south.candidate().auc()).isEqualTo(0.0);
    assertThat(south.champion().auc()).isEqualTo(1.0);
    assertThat(south.candidatePredictedPositives()).isZero();
    // One class only: no AUC.
    assertThat(r.slices().get(2).candidate().auc()).isNaN();
    assertThat(r.slices().get(3).rows()).isEqualTo(1);
  }

  @Test
  void bucketsAreInAscendingOrderAndWithoutAChampionOnlyTheCandidateIsScored() {
    SliceResults r =
        SliceScores.of(table(), List.of(Slicing.byBuckets("age", 30, 45)), CANDIDATE, null).get(0);

    assertThat(r.slices())
        .extracting(SliceMetrics::value)
        .containsExactly("<30", "[30, 45)", ">=45", "missing");
    assertThat(r.slices()).extracting(SliceMetrics::rows).containsExactly(2L, 3L, 2L, 1L);
    assertThat(r.slices()).allSatisfy(s -> assertThat(s.champion()).isNull());
    // [30, 45): rows 3, 4, 7 -> positives 0.6, 0.8 above the negative 0.7 once of twice.
    assertThat(r.slices().get(1).candidate().auc()).isEqualTo(0.5);
  }

  @Test
  void slicingsTheSchemaCannotServeAreRefusedNamingTheFix() {
    assertThatThrownBy(() -> SliceScores.check(SCHEMA, List.of(Slicing.byValue("regoin"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'regoin' is not a feature of m (features: region, age)");
    assertThatThrownBy(() -> SliceScores.check(SCHEMA, List.of(Slicing.byValue("age"))))
        .hasMessageContaining("'age' is numeric: give bucket edges")
        .hasMessageContaining("18.0 to 100.0");
    assertThatThrownBy(() -> SliceScores.check(SCHEMA, List.of(Slicing.byBuckets("region", 1))))
        .hasMessageContaining("'region' is categorical: slice it by value");
  }

  @Test
  void aCategoricalFeatureWithTooManyValuesIsRefused() {
    int n = Slicing.MAX_SLICES + 1;
    String[] region = new String[n];
    double[] age = new double[n];
    int[] y = new int[n];
    double[] p = new double[n];
    String[] day = new String[n];
    for (int i = 0; i < n; i++) {
      region[i] = "r" + i;
      day[i] = "d";
    }
    Table wide =
        new Table(SCHEMA, new double[][] {null, age}, new String[][] {region, null}, y, day);
    assertThatThrownBy(() -> SliceScores.of(wide, List.of(Slicing.byValue("region")), p, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'region' has 51 values in the held-out rows, more than the 50");
  }
}
