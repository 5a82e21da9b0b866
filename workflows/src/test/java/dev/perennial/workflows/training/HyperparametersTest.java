package dev.perennial.workflows.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.workflows.pipeline.ContinuousTrainingRequest;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HyperparametersTest {

  private static <T> T fromJson(String json, Class<T> type) {
    var converter = DefaultDataConverter.newDefaultInstance();
    var payload =
        io.temporal.api.common.v1.Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(com.google.protobuf.ByteString.copyFrom(json, StandardCharsets.UTF_8))
            .build();
    return converter.fromPayload(payload, type, type);
  }

  private static String toJson(Object value) {
    Optional<io.temporal.api.common.v1.Payload> p =
        DefaultDataConverter.newDefaultInstance().toPayload(value);
    return p.orElseThrow().getData().toStringUtf8();
  }

  @Test
  void theTemporalUiRequestStillReadsAsBefore() {
    ContinuousTrainingRequest r =
        fromJson(
            "{\"model\":\"m\",\"hyperparameters\":{\"algorithm\":\"RANDOM_FOREST\",\"trees\":300}}",
            ContinuousTrainingRequest.class);
    Hyperparameters h = r.hyperparameters().withDefaults();
    assertThat(h.trainer()).isEqualTo("RANDOM_FOREST");
    assertThat(h.trees()).isEqualTo(300);
    assertThat(h.maxDepth()).isEqualTo(16);
    assertThat(h.params()).isEmpty();
    assertThat(h).isEqualTo(Hyperparameters.of("RANDOM_FOREST").with("trees", 300));
  }

  @Test
  void anyTrainerWithItsParamsCrossesHistory() {
    Hyperparameters h = Hyperparameters.of("acme-stumps").with("rounds", 40).with("seed", 7);
    assertThat(h.params()).containsExactly(Map.entry("rounds", "40"));
    assertThat(h.seed()).isEqualTo(7L);
    // Typed fields stay unset for trainers that are not the original three.
    assertThat(h.trees()).isNull();
    String json = toJson(h);
    assertThat(json)
        .contains("\"algorithm\":\"acme-stumps\"")
        .contains("\"params\":{\"rounds\":\"40\"}");
    assertThat(fromJson(json, Hyperparameters.class)).isEqualTo(h);
    assertThat(
            fromJson(
                    "{\"algorithm\":\"acme-stumps\",\"params\":{\"rounds\":\"40\"},\"seed\":7}",
                    Hyperparameters.class)
                .withDefaults())
        .isEqualTo(h);
  }

  @Test
  void propertiesRoundTripWithParams() {
    Hyperparameters h =
        Hyperparameters.of("GRADIENT_BOOSTING").with("trees", 12).with("splitRule", "ENTROPY");
    var p = h.toProperties();
    assertThat(p.getProperty("algorithm")).isEqualTo("GRADIENT_BOOSTING");
    assertThat(p.getProperty("params.splitRule")).isEqualTo("ENTROPY");
    p.setProperty("options.trees", "12"); // resolved options beside them are not ours
    assertThat(Hyperparameters.fromProperties(p)).isEqualTo(h);
    Hyperparameters other = Hyperparameters.of("acme-stumps").with("rounds", 3);
    assertThat(other.toProperties().stringPropertyNames())
        .containsExactlyInAnyOrder("algorithm", "validationFraction", "seed", "params.rounds");
    assertThat(Hyperparameters.fromProperties(other.toProperties())).isEqualTo(other);
  }

  @Test
  void withRefusesWhatATypedFieldCannotHold() {
    assertThatThrownBy(() -> Hyperparameters.defaults().with("trees", "many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trees");
    assertThat(Hyperparameters.defaults().with("x", 1).with("x", null).params()).isEmpty();
  }

  @Test
  void problemsNameTheTrainerAndParams() {
    var bad =
        new Hyperparameters(
            "no spaces",
            0,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            Map.of("trees", "3", " ", "x"));
    assertThat(bad.problems("hyperparameters"))
        .anyMatch(s -> s.startsWith("hyperparameters.algorithm:"))
        .anyMatch(s -> s.startsWith("hyperparameters.trees:"))
        .anyMatch(s -> s.startsWith("hyperparameters.params.trees: is a field of its own"))
        .anyMatch(s -> s.startsWith("hyperparameters.params. :"));
  }

  @Test
  void samplingIsOffUnlessAskedAndCrossesHistoryAndProperties() {
    assertThat(Hyperparameters.defaults().maxTrainingRows()).isNull();
    assertThat(Hyperparameters.defaults().sampling()).isNull();
    // A request recorded before sampling existed reads as "no sampling".
    assertThat(
            fromJson("{\"algorithm\":\"RANDOM_FOREST\",\"trees\":300}", Hyperparameters.class)
                .withDefaults())
        .isEqualTo(Hyperparameters.of("RANDOM_FOREST").with("trees", 300));

    Hyperparameters h = Hyperparameters.defaults().with("maxTrainingRows", 1_000_000);
    assertThat(h.withDefaults().sampling()).isEqualTo(Hyperparameters.UNIFORM);
    Hyperparameters stratified = h.with("sampling", "stratified").withDefaults();
    assertThat(fromJson(toJson(stratified), Hyperparameters.class)).isEqualTo(stratified);
    assertThat(stratified.toProperties())
        .containsEntry("maxTrainingRows", "1000000")
        .containsEntry("sampling", "stratified");
    assertThat(Hyperparameters.fromProperties(stratified.toProperties())).isEqualTo(stratified);
  }

  @Test
  void samplingProblemsNameTheField() {
    assertThat(Hyperparameters.defaults().with("maxTrainingRows", 0).problems("h"))
        .containsExactly("h.maxTrainingRows: must be between 100 and 500000000 (got 0)");
    assertThat(
            Hyperparameters.defaults()
                .with("maxTrainingRows", 1000)
                .with("sampling", "random")
                .problems("h"))
        .containsExactly("h.sampling: must be uniform or stratified (got 'random')");
    assertThat(Hyperparameters.defaults().with("sampling", "uniform").problems("h"))
        .containsExactly("h.sampling: samples only with h.maxTrainingRows set");
  }
}
