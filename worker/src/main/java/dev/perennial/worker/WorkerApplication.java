package dev.perennial.worker;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/** Hosts Perennial's Temporal workers, with actuator health and Prometheus metrics. */
@SpringBootApplication
@EnableConfigurationProperties(PerennialProperties.class)
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }

  /**
   * Starts the worker in this JVM with {@code overrides} taking precedence over application.yaml
   * and the environment (they are passed as command-line arguments, the strongest source).
   */
  public static ConfigurableApplicationContext start(Map<String, ?> overrides) {
    String[] args =
        overrides.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(WorkerApplication.class)
        .logStartupInfo(false)
        .registerShutdownHook(false)
        .run(args);
  }
}
