package dev.perennial.starter.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What infra/images/build.sh promises of every image, read from the engine's own description of the
 * built images: a non-root user (the Helm chart's 10001), a health check where there is a server to
 * check, and no credential in the image's environment.
 */
@ContainerImages({"worker", "serving", "cli", "temporal", "minio"})
class ImagesTest {
  private static final Pattern CREDENTIAL =
      Pattern.compile(".*(SECRET|PASSWORD|API_KEY|ACCESS_KEY|_KEY_\\d+_).*");

  @ParameterizedTest
  @ValueSource(strings = {"worker", "serving", "cli", "temporal", "minio"})
  void runsAsNonRootWithAHealthCheckAndNoCredentials(String name) throws Exception {
    ContainerEngine.require(name);
    String image = ContainerEngine.image(name);
    ContainerEngine.Result inspect =
        ContainerEngine.run(List.of("docker", "image", "inspect", image), Map.of(), 1);
    assertThat(inspect.code()).as(inspect.output()).isZero();
    JsonNode config = new ObjectMapper().readTree(inspect.output()).get(0).path("Config");

    assertThat(config.path("User").asText()).as(image).isEqualTo("10001:10001");
    JsonNode check = config.path("Healthcheck").path("Test");
    if (name.equals("cli")) {
      assertThat(check.get(0).asText()).as(image + ": a command has no server").isEqualTo("NONE");
    } else {
      assertThat(check.get(0).asText()).as(image).isEqualTo("CMD-SHELL");
      assertThat(check.get(1).asText()).as(image).isNotBlank();
    }
    for (JsonNode entry : config.path("Env")) {
      String variable = entry.asText().substring(0, entry.asText().indexOf('='));
      assertThat(variable).as(image + " bakes in " + entry.asText()).doesNotMatch(CREDENTIAL);
    }
  }
}
