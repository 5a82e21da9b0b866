package dev.perennial.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request body limit on /v1, enforced before a body is parsed. */
class RequestSizeLimitTest extends LiveServer {
  /** {@code perennial.serving.max-request-bytes} as application.yaml has it; this test keeps it. */
  static final int MAX_REQUEST_BYTES = 1_048_576;

  /**
   * A valid one-row request of exactly {@code bytes} bytes: whitespace, then the row, so the parser
   * has to read all of it.
   */
  private static byte[] rowOfSize(int bytes) {
    return (" ".repeat(bytes - ROW.length()) + ROW).getBytes(StandardCharsets.UTF_8);
  }

  /** Posts {@code body} with its Content-Length, or chunked without one. */
  private static Answer postBytes(String path, byte[] body, boolean chunked) throws Exception {
    HttpRequest.BodyPublisher publisher =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + ServingFixture.KEY)
                .POST(publisher)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  @Test
  void bodiesOverTheSizeLimitAreRefusedBeforeTheyAreParsed() throws Exception {
    String predict = "/v1/models/" + MODEL + "/predict";
    Answer declared = postBytes(predict, rowOfSize(MAX_REQUEST_BYTES + 1), false);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.body().get("error").asText())
        .isEqualTo(
            "request body is 1048577 bytes, more than the 1048576 this server accepts"
                + " (perennial.serving.max-request-bytes)");

    Answer chunked = postBytes(predict, rowOfSize(MAX_REQUEST_BYTES + 1), true);
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(chunked.body().get("error").asText())
        .isEqualTo(
            "request body is more than the 1048576 bytes this server accepts"
                + " (perennial.serving.max-request-bytes)");

    Answer feedback =
        postBytes("/v1/models/" + MODEL + "/feedback", rowOfSize(MAX_REQUEST_BYTES + 1), true);
    assertThat(feedback.status()).as("the limit holds for all of /v1").isEqualTo(413);

    Answer malformed = postBytes(predict, "{\"age\":".getBytes(StandardCharsets.UTF_8), true);
    assertThat(malformed.status()).as("other unreadable bodies stay 400").isEqualTo(400);
  }

  @Test
  void bodiesUpToTheSizeLimitAreServed() throws Exception {
    String predict = "/v1/models/" + MODEL + "/predict";
    Answer declared = postBytes(predict, rowOfSize(MAX_REQUEST_BYTES), false);
    assertThat(declared.status()).isEqualTo(200);
    assertThat(declared.body().get("predictions")).hasSize(1);
    Answer chunked = postBytes(predict, rowOfSize(MAX_REQUEST_BYTES), true);
    assertThat(chunked.status()).isEqualTo(200);
    assertThat(chunked.body().get("predictions")).hasSize(1);
  }
}
