package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.training.Trainers;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.xgboost.XGBoostModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A version trained by the xgboost trainer, registered and served like a Smile one. */
class XGBoostServingTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

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

  @Test
  void anXGBoostVersionIsServedWithTheProbabilityItsBundleGives() throws Exception {
    String model = "credit-xgboost";
    Hyperparameters h = Hyperparameters.of("xgboost").with("trees", 40).with("seed", 3);
    TrainedModel trained = fixture.train(h, "xgb-1");
    System.out.println("xgboost validation " + trained.validationMetrics());
    assertThat(trained.validationMetrics().auc()).isGreaterThan(0.75);
    int version = fixture.register(model, trained, h, "xgb-1").version();
    fixture.registry().setAlias(new AliasChange(model, Aliases.CHAMPION, version, "test", "t"));

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(fixture.base() + "/v1/models/" + model + "/predict"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ServingFixture.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(ServingFixture.ROW))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(answer.get("version").asInt()).isEqualTo(version);

    byte[] bytes =
        S3.store().read(trained.model().bucket(), trained.model().key()).orElseThrow().bytes();
    ModelBundle bundle = Trainers.onClassPath().codec().deserialize(bytes, trained.model());
    assertThat(bundle.trainer()).isEqualTo("xgboost");
    assertThat(bundle.model()).isInstanceOf(XGBoostModel.class);
    assertThat(answer.get("predictions").get(0).get("probability").asDouble())
        .isCloseTo(bundle.predictProba(row()), within(1e-12));
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
}
