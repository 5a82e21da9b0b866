package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.s3.EmbeddedS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Properties of the predict endpoint over seeded random bodies, each case naming its seed: whatever
 * arrives, the answer is a prediction or a 4xx problem detail, never a server error; a row of
 * in-range values is predicted, and one out-of-range value is refused naming its field.
 */
class PredictBodyPropertiesTest {
  private static final int TRIES = 60;

  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final FeatureSchema SCHEMA = CreditDefaultGenerator.schema();

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

  record Answer(int status, String contentType, String body) {}

  static Answer post(String body) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(fixture.base() + "/v1/models/" + ServingFixture.MODEL + "/predict"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ServingFixture.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  /** An in-range value of {@code f}, as JSON. */
  static String inRange(FeatureSpec f, Random random) throws Exception {
    if (f.type() == FeatureType.CATEGORICAL) {
      List<String> c = f.categories();
      return JSON.writeValueAsString(
          random.nextInt(5) == 0 ? "never-seen" : c.get(random.nextInt(c.size())));
    }
    double min = f.min() == null ? -1e6 : f.min();
    double max = f.max() == null ? 1e6 : f.max();
    double v =
        random.nextInt(4) == 0
            ? (random.nextBoolean() ? min : max)
            : min + random.nextDouble() * (max - min);
    long whole = (long) Math.ceil(v);
    return random.nextBoolean() && whole <= max ? Long.toString(whole) : Double.toString(v);
  }

  /** Any JSON value, hostile ones weighted up. */
  static String anyValue(Random random, int depth) throws Exception {
    return switch (random.nextInt(depth > 2 ? 9 : 11)) {
      case 0 -> "null";
      case 1 -> random.nextBoolean() ? "true" : "false";
      case 2 -> Long.toString(random.nextLong());
      case 3 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
      case 4 -> "1e400";
      case 5 -> "-0.0";
      case 6 -> JSON.writeValueAsString(randomText(random));
      case 7 -> "123456789012345678901234567890";
      case 8 -> "\"\"";
      case 9 -> "[" + anyValue(random, depth + 1) + "," + anyValue(random, depth + 1) + "]";
      default -> "{\"" + name(random) + "\":" + anyValue(random, depth + 1) + "}";
    };
  }

  static String randomText(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      s.append((char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x3000)));
    }
    return s.toString();
  }

  static String name(Random random) {
    List<FeatureSpec> features = SCHEMA.features();
    return random.nextInt(4) == 0
        ? randomText(random)
        : features.get(random.nextInt(features.size())).name();
  }

  /** A body of any shape: rows of random fields, bare values, wrappers, truncated JSON. */
  static String anyBody(Random random) throws Exception {
    String body =
        switch (random.nextInt(5)) {
          case 0 -> anyValue(random, 0);
          case 1 -> {
            List<String> rows = new ArrayList<>();
            for (int r = random.nextInt(4); r > 0; r--) {
              rows.add(random.nextInt(5) == 0 ? anyValue(random, 1) : anyRow(random));
            }
            yield "{\"rows\":[" + String.join(",", rows) + "]}";
          }
          case 2 -> "{\"rows\":" + anyValue(random, 1) + "}";
          default -> anyRow(random);
        };
    return random.nextInt(8) == 0 ? body.substring(0, random.nextInt(body.length() + 1)) : body;
  }

  static String anyRow(Random random) throws Exception {
    List<String> fields = new ArrayList<>();
    for (int k = random.nextInt(6); k > 0; k--) {
      fields.add(JSON.writeValueAsString(name(random)) + ":" + anyValue(random, 1));
    }
    return "{" + String.join(",", fields) + "}";
  }

  @Test
  void anyBodyIsAPredictionOrAClientProblemNeverAServerError() throws Exception {
    for (int seed = 0; seed < TRIES; seed++) {
      String body = anyBody(new Random(seed));
      Answer a = post(body);
      assertThat(a.status()).as("seed %d: %s -> %s", seed, body, a.body()).isLessThan(500);
      if (a.status() != 200) {
        assertThat(a.status()).as("seed %d: %s", seed, body).isBetween(400, 499);
        assertThat(a.contentType()).as("seed %d", seed).startsWith("application/problem+json");
        assertThat(JSON.readTree(a.body()).path("detail").asText())
            .as("seed %d", seed)
            .isNotBlank();
      }
    }
  }

  @Test
  void rowsWithinTheSchemaArePredictedAndOneValueOutsideIsRefusedByName() throws Exception {
    List<FeatureSpec> bounded =
        SCHEMA.features().stream()
            .filter(f -> f.type() == FeatureType.NUMERIC && (f.min() != null || f.max() != null))
            .toList();
    for (int seed = 0; seed < TRIES / 3; seed++) {
      Random random = new Random(seed);
      List<String> fields = new ArrayList<>();
      for (FeatureSpec f : SCHEMA.features()) {
        if (random.nextInt(4) != 0) {
          fields.add(JSON.writeValueAsString(f.name()) + ":" + inRange(f, random));
        }
      }
      fields.add(JSON.writeValueAsString("age") + ":" + inRange(SCHEMA.feature("age"), random));
      String row = "{" + String.join(",", fields) + "}";
      Answer ok = post(row);
      assertThat(ok.status()).as("seed %d: %s -> %s", seed, row, ok.body()).isEqualTo(200);
      JsonNode p = JSON.readTree(ok.body()).path("predictions").path(0).path("probability");
      assertThat(p.asDouble(-1)).as("seed %d", seed).isBetween(0.0, 1.0);

      FeatureSpec f = bounded.get(random.nextInt(bounded.size()));
      double outside =
          f.max() != null && (f.min() == null || random.nextBoolean())
              ? f.max() + 1 + random.nextDouble() * 1e6
              : f.min() - 1 - random.nextDouble() * 1e6;
      String bad = "{" + JSON.writeValueAsString(f.name()) + ":" + outside + "}";
      Answer refused = post(bad);
      assertThat(refused.status()).as("seed %d: %s", seed, bad).isEqualTo(400);
      assertThat(JSON.readTree(refused.body()).path("detail").asText())
          .as("seed %d", seed)
          .startsWith(f.name() + ": must be");
    }
  }
}
