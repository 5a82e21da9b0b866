package dev.perennial.starter.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a model server serves for a model beside what the registry wants, read from its health
 * component {@code models}: the line {@code perennial status} prints under a run.
 */
public final class ServingSync {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private ServingSync() {}

  /** One line for {@code model} as the model server at {@code base} reports it. */
  public static String line(String base, String model) {
    JsonNode health;
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(TIMEOUT)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/actuator/health/models"))
                      .timeout(TIMEOUT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      health = JSON.readTree(response.body());
    } catch (IOException | RuntimeException e) {
      return "Serving:  the model server at " + base + " cannot be asked (" + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Serving:  interrupted while asking the model server at " + base;
    }
    JsonNode served = health.path("details").path(model);
    if (served.isMissingNode()) {
      return "Serving:  "
          + model
          + " is not served yet at "
          + base
          + " (it loads on first request)";
    }
    String servedText = versions(served.path("served"));
    JsonNode wanted = served.path("wanted");
    if (wanted.isMissingNode()) {
      return "Serving:  "
          + servedText
          + "; the registry cannot be read: "
          + served.path("problem").asText("no reason given");
    }
    if (wanted.equals(served.path("served"))) {
      return "Serving:  " + servedText + ", as the registry says";
    }
    return "Serving:  "
        + servedText
        + ", but the registry wants "
        + versions(wanted)
        + ": "
        + served.path("problem").asText("not loaded yet");
  }

  private static String versions(JsonNode roles) {
    if (!roles.has("champion")) {
      return "nothing";
    }
    String text = "champion v" + roles.path("champion").asInt();
    return roles.has("canary") ? text + ", canary v" + roles.path("canary").asInt() : text;
  }
}
