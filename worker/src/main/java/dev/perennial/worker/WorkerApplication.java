package dev.perennial.worker;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The stock worker: Perennial's workers from {@link PerennialWorkerAutoConfiguration} alone, with
 * actuator health and Prometheus metrics, set up by application.yaml. Scans no packages: what runs
 * is what the auto-configuration, the class path and the plug-in directory bring.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
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
