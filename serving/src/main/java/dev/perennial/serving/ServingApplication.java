package dev.perennial.serving;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Serves registered model versions over HTTP. Its settings are in {@code serving.yaml}, not {@code
 * application.yaml}, so that it can share a classpath (the {@code perennial} jar's dev stack) with
 * the worker and its {@code application.yaml}.
 */
@SpringBootApplication
@EnableConfigurationProperties(ServingProperties.class)
public class ServingApplication {
  static final String CONFIG_NAME = "spring.config.name=serving";

  public static void main(String[] args) {
    new SpringApplicationBuilder(ServingApplication.class).properties(CONFIG_NAME).run(args);
  }

  /** Starts the server in this JVM; {@code overrides} win over serving.yaml and the environment. */
  public static ConfigurableApplicationContext start(Map<String, ?> overrides) {
    String[] args =
        overrides.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new SpringApplicationBuilder(ServingApplication.class)
        .properties(CONFIG_NAME)
        .logStartupInfo(false)
        .registerShutdownHook(false)
        .run(args);
  }
}
