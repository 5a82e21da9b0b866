package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ModelCodec;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.training.Trainers;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.serving.stumps.StumpModel;
import dev.perennial.serving.stumps.UndeclaredModel;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.xgboost.XGBoostModel;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's trainer ({@code test-stumps}, declared only in this module's test resources) trained as
 * a worker trains, registered, and served; and the allowlist widened by exactly its model class.
 */
class PluginTrainerTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Trainers TRAINERS = Trainers.onClassPath();

  @TempDir static Path spool;
  static ServingFixture fixture;

  @BeforeAll
  static void start() {
    fixture = ServingFixture.start(S3, spool, Map.of());
  }

  @AfterAll
  static void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static JsonNode predict(String model, int expectedStatus) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(fixture.base() + "/v1/models/" + model + "/predict"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ServingFixture.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(ServingFixture.ROW))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    return JSON.readTree(response.body());
  }

  private static byte[] read(ObjectRef ref) {
    return S3.store().read(ref.bucket(), ref.key()).orElseThrow().bytes();
  }

  private static Map<String, Object> row() throws Exception {
    Map<String, Object> row = new HashMap<>();
    JSON.readTree(ServingFixture.ROW)
        .properties()
        .forEach(
            e ->
                row.put(
                    e.getKey(),
                    e.getValue().isNull()
                        ? null
                        : e.getValue().isNumber()
                            ? e.getValue().asDouble()
                            : e.getValue().asText()));
    return row;
  }

  @Test
  void theTestTrainerIsFoundAndWidensTheAllowlistByItsModelOnly() {
    assertThat(TRAINERS.names()).contains("test-stumps", "GRADIENT_BOOSTING", "xgboost");
    // The model server carries the xgboost trainer, which admits its own wrapper and no more.
    assertThat(TRAINERS.modelClasses())
        .containsExactlyInAnyOrder(StumpModel.class.getName(), XGBoostModel.class.getName());
  }

  @Test
  void aUserTrainerIsTrainedRegisteredAndServed() throws Exception {
    String model = "credit-stumps";
    Hyperparameters h = Hyperparameters.of("test-stumps").with("rounds", 25).with("seed", 3);
    TrainedModel trained = fixture.train(h, "stumps-1");
    System.out.println("test-stumps validation " + trained.validationMetrics());
    assertThat(trained.validationMetrics().auc()).isGreaterThan(0.7);

    // Beside the model: the request, and every option as resolved, to train it again exactly.
    Properties stored = new Properties();
    stored.load(new ByteArrayInputStream(read(trained.hyperparameters())));
    assertThat(stored)
        .containsEntry("algorithm", "test-stumps")
        .containsEntry("params.rounds", "25")
        .containsEntry("options.rounds", "25")
        .containsEntry("options.cuts", "8")
        .containsEntry("options.shrinkage", "0.5");
    assertThat(TRAINERS.prepare(stored).options()).isEqualTo(TRAINERS.prepare(h).options());

    int version = fixture.register(model, trained, h, "stumps-1").version();
    fixture.registry().setAlias(new AliasChange(model, Aliases.CHAMPION, version, "test", "t"));

    JsonNode answer = predict(model, 200);
    assertThat(answer.get("version").asInt()).isEqualTo(version);
    ModelBundle bundle = TRAINERS.codec().deserialize(read(trained.model()), trained.model());
    assertThat(bundle.trainer()).isEqualTo("test-stumps");
    assertThat(bundle.model()).isInstanceOf(StumpModel.class);
    assertThat(answer.get("predictions").get(0).get("probability").asDouble())
        .isCloseTo(bundle.predictProba(row()), within(1e-12));
  }

  @Test
  void aModelClassNoTrainerDeclaresIsNotServed() throws Exception {
    String model = "credit-undeclared";
    TrainedModel v1 = fixture.v1();
    ModelBundle real = TRAINERS.codec().deserialize(read(v1.model()), v1.model());
    byte[] bytes =
        ModelCodec.serialize(new ModelBundle("test-stumps", real.encoder(), new UndeclaredModel()));
    var stored =
        S3.store()
            .put(
                fixture.artifactBucket(),
                "runs/" + model + "/r/model.bin",
                bytes,
                "application/octet-stream");
    ObjectRef ref = new ObjectRef(stored.bucket(), stored.key(), stored.sha256(), stored.size());

    assertThatThrownBy(() -> TRAINERS.codec().deserialize(bytes, ref))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("refused by the deserialization allowlist")
        .hasMessageContaining("class " + UndeclaredModel.class.getName());

    TrainedModel smuggled =
        new TrainedModel(
            ref,
            v1.hyperparameters(),
            v1.featureSchema(),
            v1.referenceProfile(),
            v1.trainingRows(),
            v1.validationMetrics(),
            v1.codeVersion());
    var evaluated = fixture.registry().version(ServingFixture.MODEL, 1).orElseThrow().evaluation();
    int version =
        fixture
            .register(model, smuggled, Hyperparameters.of("test-stumps"), "r", evaluated)
            .version();
    AliasChange champion = new AliasChange(model, Aliases.CHAMPION, version, "test", "t");
    // The registry refuses to name it: it loads the version as a server would first.
    assertThatThrownBy(() -> fixture.registry().setAlias(champion))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("alias champion cannot point at model " + model)
        .hasMessageContaining("class " + UndeclaredModel.class.getName());
    // Named anyway (a registry that does not check, a hand edit): the server refuses to load it.
    new ModelRegistry(
            S3.store(), fixture.artifactBucket(), Clock.systemUTC(), ArtifactCheck.UNCHECKED)
        .setAlias(champion);
    JsonNode failed = predict(model, 500);
    assertThat(failed.get("error").asText())
        .contains("allowlist")
        .contains(UndeclaredModel.class.getName());
  }

  @Test
  void aPluginPathThatIsNotThereFailsStartUpSayingSo() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.port", 0);
    properties.put("perennial.artifact-bucket", fixture.artifactBucket());
    properties.put("perennial.s3.endpoint", S3.endpoint());
    properties.put("perennial.s3.access-key", S3.settings().accessKey());
    properties.put("perennial.s3.secret-key", S3.settings().secretKey());
    properties.put("perennial.serving.spool-dir", spool.resolve("bad-plugins"));
    properties.put("perennial.plugins", "/nonexistent/perennial-plugins");
    properties.put("perennial.serving.auth.enabled", false);
    assertThatThrownBy(() -> ServingApplication.start(properties).close())
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plug-in path /nonexistent/perennial-plugins does not exist");
  }
}
