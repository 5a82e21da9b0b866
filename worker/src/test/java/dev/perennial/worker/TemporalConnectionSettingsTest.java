package dev.perennial.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.uber.m3.tally.NoopScope;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.autoconfigure.properties.ConnectionProperties;
import io.temporal.spring.boot.autoconfigure.template.ServiceStubOptionsTemplate;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The worker's application.yaml maps {@code PERENNIAL_TEMPORAL_API_KEY} onto the Temporal starter's
 * {@code spring.temporal.connection.api-key}: set, the worker sends it with TLS on; unset, neither.
 */
class TemporalConnectionSettingsTest {

  /** The stub options the Temporal starter builds from application.yaml and {@code env}. */
  private static WorkflowServiceStubsOptions options(Map<String, Object> env) throws IOException {
    StandardEnvironment environment = new StandardEnvironment();
    // Only the yaml and env: not this machine's environment.
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    environment.getPropertySources().addFirst(new MapPropertySource("test-env", env));
    for (var source :
        new YamlPropertySourceLoader()
            .load("application.yaml", new ClassPathResource("application.yaml"))) {
      environment.getPropertySources().addLast(source);
    }
    ConnectionProperties connection =
        Binder.get(environment)
            .bind("spring.temporal.connection", ConnectionProperties.class)
            .get();
    return new ServiceStubOptionsTemplate(connection, new NoopScope(), List.of())
        .createServiceStubOptions();
  }

  @Test
  void anApiKeyFromTheEnvironmentIsSentOverTls() throws IOException {
    WorkflowServiceStubsOptions options =
        options(
            Map.of(
                "PERENNIAL_TEMPORAL_ADDRESS", "temporal.example:7233",
                "PERENNIAL_TEMPORAL_API_KEY", "key-of-the-worker"));
    assertThat(options.getTarget()).isEqualTo("temporal.example:7233");
    assertThat(options.getEnableHttps()).isTrue();
    assertThat(options.getGrpcMetadataProviders()).hasSize(1);
  }

  @Test
  void withoutOneTheWorkerConnectsInPlainText() throws IOException {
    WorkflowServiceStubsOptions options = options(Map.of());
    assertThat(options.getTarget()).isEqualTo("127.0.0.1:7233");
    assertThat(options.getEnableHttps()).isFalse();
    assertThat(options.getGrpcMetadataProviders()).isNullOrEmpty();
  }
}
