package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perennial.core.registry.AuditEntry;
import dev.perennial.core.registry.TrafficSplit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A shadow in the registry's split: the champion answers every request, the shadow scores them
 * beside it off the request's path, and its lines are logged flagged and without features.
 */
class ShadowServingTest extends LiveServer {

  @Test
  void theChampionAnswersEveryRequestWhileTheShadowScoresThemUnseen() throws Exception {
    assertThat(registry.setTrafficSplit(MODEL, 2, 100, true, "shadow step 1", "test")).isTrue();
    TrafficSplit split = registry.trafficSplit(MODEL);
    assertThat(split.shadowVersion()).isEqualTo(2);
    assertThat(split.canaryVersion()).isNull();
    List<String> requests = new ArrayList<>();
    try {
      awaitShadow(2);
      for (int i = 0; i < 20; i++) {
        Answer a = post(MODEL, ROW);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("version").asInt()).as("the champion answers").isEqualTo(1);
        requests.add(a.body().get("requestId").asText());
      }
      for (String id : requests) {
        List<JsonNode> lines = awaitLogged(MODEL, id, 2);
        JsonNode answered =
            lines.stream().filter(l -> l.get("version").asInt() == 1).findFirst().orElseThrow();
        JsonNode shadowed =
            lines.stream().filter(l -> l.get("version").asInt() == 2).findFirst().orElseThrow();
        assertThat(answered.has("shadow")).isFalse();
        assertThat(answered.has("features")).isTrue();
        assertThat(shadowed.get("shadow").asBoolean()).isTrue();
        assertThat(shadowed.has("features")).as("the champion's line has them").isFalse();
        assertThat(shadowed.get("latencyMs").asDouble()).isPositive();
        assertThat(shadowed.get("probability").asDouble()).isBetween(0.0, 1.0);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  metric(
                      "perennial_serving_shadow_requests_total", "version=\"2\"", "outcome=\"ok\""),
              n -> n >= 20);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> metric("perennial_serving_served_version", "role=\"shadow\""), v -> v == 2.0);
    } finally {
      assertThat(registry.setTrafficSplit(MODEL, null, 0, "shadow over", "test")).isTrue();
    }
    awaitShadow(null);
    assertThat(registry.audit(MODEL))
        .filteredOn(e -> e.action() == AuditEntry.Action.SET_TRAFFIC)
        .extracting(AuditEntry::alias, AuditEntry::reason)
        .endsWith(
            org.assertj.core.groups.Tuple.tuple(
                "shadow", "100 % of the requests shadowed: shadow step 1"),
            org.assertj.core.groups.Tuple.tuple(
                "shadow", "0 % of the requests shadowed: shadow over"));
  }

  @Test
  void aCanaryEndsAShadowAndAShadowEndsACanary() {
    try {
      registry.setTrafficSplit(MODEL, 2, 100, true, "shadow", "test");
      registry.setTrafficSplit(MODEL, 2, 10, "canary", "test");
      TrafficSplit canary = registry.trafficSplit(MODEL);
      assertThat(canary.canaryVersion()).isEqualTo(2);
      assertThat(canary.shadowVersion()).isNull();
      registry.setTrafficSplit(MODEL, 2, 50, true, "shadow again", "test");
      TrafficSplit shadow = registry.trafficSplit(MODEL);
      assertThat(shadow.canaryVersion()).isNull();
      assertThat(shadow.shadowVersion()).isEqualTo(2);
      assertThat(shadow.shadowPercent()).isEqualTo(50);
    } finally {
      registry.setTrafficSplit(MODEL, null, 0, "over", "test");
    }
    awaitShadow(null);
  }

  private static void awaitShadow(Integer version) {
    ServedModels served = fixture.server().getBean(ServedModels.class);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> served.current(MODEL).orElseThrow(),
            r ->
                r.canary() == null
                    && (version == null
                        ? r.shadow() == null
                        : r.shadow() != null && r.shadow().version() == version));
  }
}
