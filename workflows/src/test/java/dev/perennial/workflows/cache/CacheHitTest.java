package dev.perennial.workflows.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.workflows.gate.GateDecision;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.VersionStatus;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.search.ParameterRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a hit says, by where the matching version stands. */
class CacheHitTest {
  private static final CacheKey KEY = CacheKey.of("d", "o\n", "c");

  private static ModelVersion version(
      int n, VersionStatus status, GateDecision gate, Rejection rejection) {
    return new ModelVersion(
        "m", n, status, null, null, null, null, gate, null, null, null, null, rejection, null, null,
        KEY);
  }

  private static ModelVersion approved(int n) {
    return version(n, VersionStatus.APPROVED, null, null);
  }

  @Test
  void noMatchIsNoHit() {
    assertThat(CacheHit.of(CacheLookup.miss(KEY), approved(1))).isNull();
    assertThat(CacheHit.of(null, approved(1))).isNull();
  }

  @Test
  void theChampionAmongTheMatchesIsTheHitEvenWhenANewerOneMatches() {
    CacheHit hit = CacheHit.of(new CacheLookup(KEY, List.of(3, 5), approved(5)), approved(3));

    assertThat(hit.version()).isEqualTo(3);
    assertThat(hit.champion()).isTrue();
    assertThat(hit.message())
        .isEqualTo(
            "unchanged: same data, same parameters and code as v3 (champion); nothing trained");
  }

  @Test
  void aVersionTheGateRefusedIsNamedWithItsReasons() {
    GateDecision refused = new GateDecision(false, List.of("auc 0.61 < 0.70"), List.of(), 1);
    CacheHit hit =
        CacheHit.of(
            new CacheLookup(KEY, List.of(4), version(4, VersionStatus.REJECTED, refused, null)),
            approved(1));

    assertThat(hit.champion()).isFalse();
    assertThat(hit.message())
        .isEqualTo(
            "unchanged: same data, same parameters and code as v4 (refused by the gate: auc 0.61"
                + " < 0.70); nothing trained, champion stays v1; force the run to train and judge"
                + " it again");
  }

  @Test
  void aVersionACanaryWithdrewIsNotRolledOutAgain() {
    Rejection why = new Rejection("m", 4, "error rate breached", "canary", "t");
    CacheHit hit =
        CacheHit.of(
            new CacheLookup(KEY, List.of(4), version(4, VersionStatus.REJECTED, null, why)),
            approved(1));

    assertThat(hit.message())
        .isEqualTo(
            "unchanged: same data, same parameters and code as v4 (withdrawn: error rate"
                + " breached); nothing trained or rolled out, champion stays v1; force the run to"
                + " train and judge it again");
  }

  @Test
  void onlyARandomSearchWithoutASeedIsIrreproducible() {
    HyperparameterSearch random =
        HyperparameterSearch.random(3).over("trees", ParameterRange.ints(1, 9));

    assertThat(CacheKey.reproducible(null)).isTrue();
    assertThat(CacheKey.reproducible(random)).isFalse();
    assertThat(CacheKey.reproducible(random.seed(1))).isTrue();
    assertThat(CacheKey.reproducible(HyperparameterSearch.grid())).isTrue();
  }
}
