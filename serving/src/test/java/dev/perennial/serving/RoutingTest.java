package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perennial.core.registry.AuditEntry;
import dev.perennial.core.training.Trainers;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which version answers: the champion, scored as its bundle scores, and the canary its share. */
class RoutingTest extends LiveServer {
  @Test
  void canaryTakesItsShareStickyPerEntityAndEndsCleanly() throws Exception {
    assertThat(registry.setTrafficSplit(MODEL, 2, 30, "canary step 1", "test")).isTrue();
    assertThat(registry.setTrafficSplit(MODEL, 2, 30, "again", "test")).as("no-op").isFalse();
    try {
      awaitRouting(1, 30);
      // 400 requests at 30 %: expect 120 on the canary, sd = sqrt(400 * 0.3 * 0.7) = 9.2;
      // [80, 160] is more than 4 sd either side.
      int canary = 0;
      for (int i = 0; i < 400; i++) {
        canary += servedVersion(null) == 2 ? 1 : 0;
      }
      assertThat(canary).isBetween(80, 160);

      // An entity stays on one version.
      int first = servedVersion("customer-7");
      for (int i = 0; i < 20; i++) {
        assertThat(servedVersion("customer-7")).isEqualTo(first);
      }
      // Across 300 entities the share holds too: expect 90, sd 7.9.
      int keyed = 0;
      for (int i = 0; i < 300; i++) {
        keyed += servedVersion("customer-" + i) == 2 ? 1 : 0;
      }
      assertThat(keyed).isBetween(58, 122);
    } finally {
      assertThat(registry.setTrafficSplit(MODEL, null, 0, "rollout over", "test")).isTrue();
    }
    awaitRouting(1, 0);
    for (int i = 0; i < 50; i++) {
      assertThat(servedVersion(null)).isEqualTo(1);
    }
    assertThat(registry.audit(MODEL))
        .filteredOn(e -> e.action() == AuditEntry.Action.SET_TRAFFIC)
        .extracting(e -> e.reason())
        .containsExactly("30 % to the canary: canary step 1", "0 % to the canary: rollout over");
  }

  private static int servedVersion(String entityKey) throws Exception {
    return post(MODEL, ROW, entityKey).body().get("version").asInt();
  }

  @Test
  void scoresARowWithTheChampionExactlyAsTheBundleDoes() throws Exception {
    Answer a = post(MODEL, ROW);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().get("version").asInt()).isEqualTo(1);
    assertThat(a.body().get("requestId").asText()).hasSize(36);
    var bundle =
        Trainers.onClassPath()
            .codec()
            .deserialize(
                fixture
                    .s3()
                    .store()
                    .read(v1.model().bucket(), v1.model().key())
                    .orElseThrow()
                    .bytes(),
                v1.model());
    Map<String, Object> row = new HashMap<>();
    row.put("age", 41.0);
    row.put("income", 52000.0);
    row.put("utilization", 0.93);
    row.put("late_payments_12m", 3.0);
    row.put("region", "south");
    row.put("employment_type", "contractor");
    double expected = bundle.predictProba(row);
    JsonNode p = a.body().get("predictions").get(0);
    assertThat(p.get("probability").asDouble()).isCloseTo(expected, within(1e-12));
    assertThat(p.get("label").asInt()).isEqualTo(expected >= 0.5 ? 1 : 0);
  }

  @Test
  void batchesAnswerRowByRow() throws Exception {
    Answer a = post(MODEL, "{\"rows\":[" + ROW + ",{\"age\":25},{\"region\":\"north\"}]}");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().get("predictions")).hasSize(3);
  }

  @Test
  void theRegistryRefusesSplitsThatCannotServe() {
    assertThatThrownBy(() -> registry.setTrafficSplit(MODEL, 9, 10, "x", "test"))
        .hasMessageContaining("has no version 9");
    assertThatThrownBy(() -> registry.setTrafficSplit(MODEL, 2, 0, "x", "test"))
        .hasMessageContaining("needs a share above 0 %");
    assertThatThrownBy(() -> registry.setTrafficSplit(MODEL, 2, 101, "x", "test"))
        .hasMessageContaining("between 0 and 100");
  }
}
