package dev.perennial.serving;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Readiness for the models this server is meant to serve ({@code perennial.serving.models}): their
 * champions load at start-up instead of on the first request, and the health component {@code
 * champions} (part of the readiness group) is {@code OUT_OF_SERVICE}, naming each model still
 * without one and why, until every one of them is served. A load balancer or Kubernetes then sends
 * no traffic to a replica that would answer 404 or load a model on a client's request. A replica
 * that serves an older champion while a newer one fails to load stays ready: the component {@code
 * models} shows that difference.
 */
final class ChampionsLoaded implements HealthIndicator {
  private final ServedModels models;
  private final List<String> expected;
  private final Map<String, String> waiting = new ConcurrentHashMap<>();

  ChampionsLoaded(ServedModels models, List<String> expected) {
    this.models = models;
    this.expected = List.copyOf(expected);
    for (String model : this.expected) {
      waiting.put(model, "not loaded yet");
    }
  }

  /** Loads the champion of each expected model not served yet; called before each refresh. */
  void load() {
    for (String model : expected) {
      if (!waiting.containsKey(model)) {
        continue;
      }
      try {
        if (models.current(model).isPresent()) {
          waiting.remove(model);
        } else {
          waiting.put(model, "the registry names no champion yet");
        }
      } catch (RuntimeException e) {
        waiting.put(model, "its champion cannot load: " + e.getMessage());
      }
    }
  }

  @Override
  public Health health() {
    if (waiting.isEmpty()) {
      return Health.up().withDetail("serving", expected).build();
    }
    return Health.status(Status.OUT_OF_SERVICE).withDetails(new TreeMap<>(waiting)).build();
  }
}
