package dev.perennial.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Hosts Perennial's Temporal workers, with actuator health and Prometheus metrics. */
@SpringBootApplication
@EnableConfigurationProperties(PerennialProperties.class)
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }
}
