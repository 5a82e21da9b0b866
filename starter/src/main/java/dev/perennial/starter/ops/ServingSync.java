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
 * component {@code models}.
 */
public final class ServingSync {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private ServingSync() {}

  /** Versions by role; null where the role has none. */
  public record Roles(Integer champion, Integer canary, Integer shadow) {
    public Roles(Integer champion, Integer canary) {
      this(champion, canary, null);
    }
  }

  /** What the model server says of a model. */
  public sealed interface Served
      permits Unreachable, Interrupted, NotServed, Unknown, InSync, Behind {}

  /** The server could not be asked. */
  public record Unreachable(String base, String error) implements Served {}

  /** Asking was interrupted. */
  public record Interrupted(String base) implements Served {}

  /** The server has not loaded the model yet (it loads on first request). */
  public record NotServed(String model, String base) implements Served {}

  /** The server serves {@code served} but cannot read what the registry wants. */
  public record Unknown(Roles served, String problem) implements Served {}

  /** The server serves what the registry wants. */
  public record InSync(Roles served) implements Served {}

  /** The server serves other versions than the registry wants; {@code problem} says why. */
  public record Behind(Roles served, Roles wanted, String problem) implements Served {}

  /** What the model server at {@code base} serves of {@code model}. */
  public static Served read(String base, String model) {
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
      return new Unreachable(base, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Interrupted(base);
    }
    JsonNode served = health.path("details").path(model);
    if (served.isMissingNode()) {
      return new NotServed(model, base);
    }
    Roles servedRoles = roles(served.path("served"));
    JsonNode wanted = served.path("wanted");
    if (wanted.isMissingNode()) {
      return new Unknown(servedRoles, served.path("problem").asText("no reason given"));
    }
    if (wanted.equals(served.path("served"))) {
      return new InSync(servedRoles);
    }
    return new Behind(servedRoles, roles(wanted), served.path("problem").asText("not loaded yet"));
  }

  private static Roles roles(JsonNode roles) {
    return new Roles(
        roles.has("champion") ? roles.path("champion").asInt() : null,
        roles.has("canary") ? roles.path("canary").asInt() : null,
        roles.has("shadow") ? roles.path("shadow").asInt() : null);
  }
}
