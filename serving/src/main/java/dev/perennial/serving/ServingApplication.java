package dev.perennial.serving;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/** Serves registered model versions over HTTP. */
@SpringBootApplication
@EnableConfigurationProperties(ServingProperties.class)
public class ServingApplication {

  public static void main(String[] args) {
    SpringApplication.run(ServingApplication.class, args);
  }

  /**
   * Starts the server in this JVM; {@code overrides} win over application.yaml and the environment.
   */
  public static ConfigurableApplicationContext start(Map<String, ?> overrides) {
    String[] args =
        overrides.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(ServingApplication.class)
        .logStartupInfo(false)
        .registerShutdownHook(false)
        .run(args);
  }
}
