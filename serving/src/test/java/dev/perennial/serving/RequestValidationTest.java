package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.dev.data.CreditDefaultGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * What a request may carry, and the RFC 9457 problem that names the field when it may not: the
 * controller and its advice alone, serving a model of the generator's schema that answers 0.5; no
 * API keys ({@link AuthenticationTest} has them).
 */
@WebMvcTest(
    controllers = PredictionController.class,
    properties = {"perennial.serving.max-batch-rows=5", "perennial.serving.auth.enabled=false"})
class RequestValidationTest {
  static final String MODEL = ServingFixture.MODEL;
  static final String ROW = ServingFixture.ROW;
  static final ObjectMapper JSON = new ObjectMapper();

  @TestConfiguration
  static class Beans {
    @Bean
    MeterRegistry meters() {
      return new SimpleMeterRegistry();
    }

    @Bean
    OnlineQuality onlineQuality(MeterRegistry meters) {
      return new OnlineQuality(meters, 100);
    }
  }

  @Autowired MockMvc mvc;
  @MockitoBean ServedModels models;
  @MockitoBean PredictionLog log;
  @MockitoBean ShadowScoring shadows;
  private final ModelBundle bundle = Mockito.mock(ModelBundle.class);

  @BeforeEach
  void serveOneModel() {
    FeatureSchema schema = CreditDefaultGenerator.schema();
    when(bundle.predictProba(ArgumentMatchers.<Map<String, ?>>any())).thenReturn(0.5);
    when(models.current(MODEL))
        .thenReturn(
            Optional.of(
                new ServedModels.Routing(
                    new ServedModels.Loaded(MODEL, 1, bundle, schema), null, 0)));
  }

  record Answer(int status, JsonNode body) {}

  /** An answer as the client sees it. */
  record Reply(int statusCode, String body, String contentType) {}

  private Reply send(String path, String json) throws Exception {
    MockHttpServletResponse r =
        mvc.perform(
                MockMvcRequestBuilders.post(URI.create(path))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(json))
            .andReturn()
            .getResponse();
    return new Reply(
        r.getStatus(),
        r.getContentAsString(StandardCharsets.UTF_8),
        r.getContentType() == null ? "" : r.getContentType());
  }

  private Answer post(String model, String json) throws Exception {
    Reply r = predictRaw(model, json);
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  private Reply predictRaw(String model, String json) throws Exception {
    return send("/v1/models/" + model + "/predict", json);
  }

  private Reply feedback(String json) throws Exception {
    return feedback(MODEL, json);
  }

  private Reply feedback(String model, String json) throws Exception {
    return send("/v1/models/" + model + "/feedback", json);
  }

  /** The names the registry refuses, as a client puts them in the URL. */
  private static final List<String> BAD_NAMES =
      List.of("Credit-Default", "%2e%2e", "cr%C3%A9dit", "-x", "a".repeat(64), "b".repeat(1000));

  static void assertRefused(Answer a, String field, String detail) {
    assertThat(a.status()).isEqualTo(400);
    assertThat(a.body().path("status").asInt()).isEqualTo(400);
    if (field == null) {
      assertThat(a.body().has("field")).isFalse();
    } else {
      assertThat(a.body().path("field").asText()).isEqualTo(field);
    }
    assertThat(a.body().path("detail").asText()).isEqualTo(detail);
  }

  /** Asserts an RFC 9457 problem of {@code status} naming {@code field}; returns its detail. */
  private static String problem(
      int status, String field, int got, String contentType, JsonNode body) {
    assertThat(got).as(body.toString()).isEqualTo(status);
    assertThat(contentType).startsWith("application/problem+json");
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("field").asText()).isEqualTo(field);
    return body.get("detail").asText();
  }

  private String problem(int status, String field, Reply r) throws Exception {
    return problem(status, field, r.statusCode(), r.contentType(), JSON.readTree(r.body()));
  }

  @Test
  void valuesTheSchemaForbidsAreRefusedNamingTheRule() throws Exception {
    assertRefused(post(MODEL, "{\"age\": -5}"), "age", "age: must be within 18..100, got -5");
    assertRefused(
        post(MODEL, "{\"age\": 1e308}"), "age", "age: must be within 18..100, got 1.0E308");
    assertRefused(
        post(MODEL, "{\"rows\":[" + ROW + ",{\"age\": 40, \"income\": 1e309}]}"),
        "rows[1].income",
        "rows[1].income: must be a finite number, got Infinity");
    assertRefused(
        post(MODEL, "{\"utilization\": 2.5}"),
        "utilization",
        "utilization: must be within 0..2, got 2.5");
    assertThat(post(MODEL, "{}").body().path("detail").asText())
        .startsWith("the row: carries none of this model's features");
    assertRefused(
        post(MODEL, "{\"rows\":[" + ROW + ",{\"age\": null}]}"),
        "rows[1]",
        post(MODEL, "{\"rows\":[" + ROW + ",{}]}").body().path("detail").asText());
    assertThat(post(MODEL, "{\"rows\":[" + ROW + ",{}]}").body().path("detail").asText())
        .startsWith("rows[1]: carries none of this model's features");
    // The edges of the range, a missing feature and an unknown category are all accepted.
    assertThat(post(MODEL, "{\"age\": 18, \"utilization\": 2}").status()).isEqualTo(200);
    assertThat(post(MODEL, "{\"age\": 100, \"region\": \"atlantis\"}").status()).isEqualTo(200);
  }

  @Test
  void bodiesThatAreNotJsonAreRefusedSayingWhy() throws Exception {
    Answer malformed = post(MODEL, "{\"age\": 41,");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().path("field").asText()).isEqualTo("body");
    assertThat(malformed.body().path("detail").asText())
        .startsWith("the body is not valid JSON at line 1, column ");
    for (String literal : List.of("NaN", "Infinity", "-Infinity")) {
      Answer nan = post(MODEL, "{\"age\": " + literal + "}");
      assertThat(nan.status()).isEqualTo(400);
      assertThat(nan.body().path("detail").asText())
          .startsWith("the body is not valid JSON at line 1, column ")
          .contains("NaN/Infinity are not JSON numbers");
    }
    for (String nothing : List.of("", "null")) {
      assertRefused(
          post(MODEL, nothing),
          "body",
          "the body is empty (or null): send one row as a JSON object, or {\"rows\": [ ... ]}");
    }
    Answer deep = post(MODEL, "[".repeat(5000) + "]".repeat(5000));
    assertThat(deep.status()).isEqualTo(400);
    assertThat(deep.body().path("detail").asText()).startsWith("the body is nested too deeply");
    for (Answer a : List.of(malformed, deep)) {
      assertThat(a.body().path("detail").asText())
          .hasSizeLessThanOrEqualTo(300)
          .doesNotContain("\tat ");
    }
    Reply emptyFeedback = feedback("");
    assertThat(emptyFeedback.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(emptyFeedback.body()).path("detail").asText())
        .startsWith("the body is empty (or null): send {\"requestId\"");
  }

  @Test
  void badRowsAreRefusedNamingTheField() throws Exception {
    Answer wrongType = post(MODEL, "{\"rows\":[{\"age\":30},{\"age\":\"thirty\"}]}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.body().get("error").asText())
        .startsWith("rows[1].age: expected a number, got \"thirty\"");

    Answer typo = post(MODEL, "{\"incme\":5}");
    assertThat(typo.status()).isEqualTo(400);
    assertThat(typo.body().get("error").asText()).startsWith("incme: not a feature of this model");

    Answer category = post(MODEL, "{\"region\":7}");
    assertThat(category.body().get("error").asText()).isEqualTo("region: expected a string, got 7");

    Answer tooMany = post(MODEL, "{\"rows\":[{},{},{},{},{},{}]}");
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.body().get("error").asText()).contains("6 rows, more than the 5");

    Answer unknown = post("no-such-model", ROW);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("error").asText()).contains("'no-such-model' has no champion");
  }

  @Test
  void predictRefusesModelNamesTheRegistryRefusesAndUnknownModels() throws Exception {
    for (String name : BAD_NAMES) {
      assertThat(problem(400, "model", predictRaw(name, ROW)))
          .as(name)
          .contains("must be 1-63 lower-case letters, digits or '-'")
          .hasSizeLessThanOrEqualTo(300);
    }
    assertThat(problem(404, "model", predictRaw("no-such-model", ROW)))
        .contains("'no-such-model' has no champion");
  }

  @Test
  void feedbackChecksTheModelTheRowAndHowManyLabels() throws Exception {
    String label = "{\"requestId\":\"r\",\"label\":1}";
    for (String name : BAD_NAMES) {
      assertThat(problem(400, "model", feedback(name, label)))
          .as(name)
          .contains("must be 1-63 lower-case letters");
    }
    assertThat(problem(404, "model", feedback("no-such-model", label))).contains("no champion");
    assertThat(problem(400, "row", feedback("{\"requestId\":\"r\",\"row\":-1,\"label\":1}")))
        .contains("non-negative integer");
    assertThat(problem(400, "row", feedback("{\"requestId\":\"r\",\"row\":\"abc\",\"label\":1}")))
        .contains("got \"abc\"");
    assertThat(problem(400, "row", feedback("{\"requestId\":\"r\",\"row\":1.5,\"label\":1}")))
        .contains("non-negative integer");
    assertThat(
            problem(
                400,
                "rows[1].row",
                feedback(
                    "{\"rows\":[" + label + ",{\"requestId\":\"r\",\"row\":-2,\"label\":0}]}")))
        .startsWith("rows[1].row:");
    String six = String.join(",", Collections.nCopies(6, label));
    assertThat(problem(413, "rows", feedback("{\"rows\":[" + six + "]}")))
        .contains("6 labels, more than the 5");
    assertThat(feedback("{\"requestId\":\"r\",\"row\":0,\"label\":1}").statusCode()).isEqualTo(202);
  }
}
