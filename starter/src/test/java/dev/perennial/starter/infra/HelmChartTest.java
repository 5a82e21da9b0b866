package dev.perennial.starter.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart in infra/helm/perennial, linted and rendered by the real {@code helm} for the
 * value sets in its {@code ci/} folder, and the rendered manifests checked: probes, a non-root
 * read-only security context, credentials only by reference to secrets, one worker deployment per
 * task queue, and the training worker's memory against the measured training memory.
 */
class HelmChartTest {
  private static final String CHART = "infra/helm/perennial";

  /** Environment variables that carry credentials: they must come from a secret. */
  private static final Pattern CREDENTIAL =
      Pattern.compile(".*(SECRET|PASSWORD|API_KEY|ACCESS_KEY|_KEY_\\d+_SECRET).*");

  /**
   * The heap peak measured at 1M training rows with the default gradient boosting (issue 12, see
   * docs/operations.md): the default training worker must hold it at its heap share.
   */
  private static final double MEASURED_HEAP_PEAK_BYTES_1M_ROWS = 2.0e9;

  static String helm;

  @BeforeAll
  static void findHelm() {
    helm = InfraTools.require("helm").toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "tls-apikey", "scaled"})
  void lintsAndRendersSafeManifests(String values) {
    InfraTools.Result lint = helm("lint", CHART, "-f", valuesFile(values));
    assertThat(lint.code()).as(lint.output()).isZero();

    List<Map<String, Object>> manifests = template(values);
    assertThat(manifests).extracting(m -> m.get("kind")).doesNotContain("Secret");
    List<Map<String, Object>> deployments = ofKind(manifests, "Deployment");
    assertThat(deployments)
        .extracting(HelmChartTest::name)
        .containsExactlyInAnyOrder(
            "perennial-worker-pipelines", "perennial-worker-training", "perennial-serving");

    for (Map<String, Object> d : deployments) {
      Map<String, Object> pod = map(map(map(d, "spec"), "template"), "spec");
      Map<String, Object> podSecurity = map(pod, "securityContext");
      assertThat(podSecurity).as(name(d)).containsEntry("runAsNonRoot", true);
      assertThat((Integer) podSecurity.get("runAsUser")).as(name(d)).isPositive();
      assertThat(pod).as(name(d)).containsEntry("automountServiceAccountToken", false);
      for (Map<String, Object> c : list(pod, "containers")) {
        String where = name(d) + "/" + c.get("name");
        Map<String, Object> security = map(c, "securityContext");
        assertThat(security).as(where).containsEntry("allowPrivilegeEscalation", false);
        assertThat(security).as(where).containsEntry("readOnlyRootFilesystem", true);
        assertThat(String.valueOf(map(security, "capabilities").get("drop")))
            .as(where)
            .isEqualTo("[ALL]");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
          assertThat(map(map(c, probe), "httpGet").get("path"))
              .as(where + " " + probe)
              .asString()
              .startsWith("/actuator/health/");
        }
        assertThat(map(map(c, "readinessProbe"), "httpGet").get("path"))
            .isEqualTo("/actuator/health/readiness");
        assertThat(map(map(c, "resources"), "requests")).as(where).containsKeys("cpu", "memory");
        for (Map<String, Object> env : list(c, "env")) {
          String variable = (String) env.get("name");
          if (CREDENTIAL.matcher(variable).matches()) {
            assertThat(env).as(where + " " + variable).doesNotContainKey("value");
            assertThat(map(map(env, "valueFrom"), "secretKeyRef"))
                .as(where + " " + variable)
                .containsKeys("name", "key");
          }
        }
      }
    }
    for (Map<String, Object> config : ofKind(manifests, "ConfigMap")) {
      assertThat(map(config, "data").keySet())
          .as(name(config))
          .noneMatch(key -> CREDENTIAL.matcher(key).matches());
    }
  }

  @Test
  void pipelinesAndTrainingAreSeparateDeploymentsScaledApart() {
    List<Map<String, Object>> scaled = ofKind(template("scaled"), "Deployment");
    Map<String, Object> pipelines = named(scaled, "perennial-worker-pipelines");
    Map<String, Object> training = named(scaled, "perennial-worker-training");
    assertThat(env(pipelines)).containsEntry("PERENNIAL_TASK_QUEUES", "perennial-pipelines");
    assertThat(env(training))
        .containsEntry("PERENNIAL_TASK_QUEUES", "perennial-training")
        .containsEntry("PERENNIAL_TRAINING_CONCURRENCY", "2");
    assertThat(map(pipelines, "spec")).containsEntry("replicas", 2);
    assertThat(map(training, "spec")).containsEntry("replicas", 6);
    // The model servers scale with their request rate instead of a fixed count.
    Map<String, Object> serving = named(scaled, "perennial-serving");
    assertThat(map(serving, "spec")).doesNotContainKey("replicas");
    assertThat(ofKind(template("scaled"), "HorizontalPodAutoscaler")).hasSize(1);
    assertThat(env(serving)).containsEntry("PERENNIAL_SERVING_MODELS", "credit-default,churn");
  }

  @Test
  void theDefaultTrainingWorkerHoldsTheMeasuredHeapOfAMillionRowTraining() {
    Map<String, Object> training =
        named(ofKind(template("minimal"), "Deployment"), "perennial-worker-training");
    Map<String, Object> container =
        list(map(map(map(training, "spec"), "template"), "spec"), "containers").get(0);
    Map<String, Object> resources = map(container, "resources");
    double request = bytes((String) map(resources, "requests").get("memory"));
    double limit = bytes((String) map(resources, "limits").get("memory"));
    assertThat(request).isEqualTo(limit); // no overcommit: a training is not killed mid-way
    String javaOpts = env(training).get("JAVA_TOOL_OPTIONS");
    var percent = Pattern.compile("MaxRAMPercentage=(\\d+)").matcher(javaOpts);
    assertThat(percent.find()).as(javaOpts).isTrue();
    assertThat(limit * Integer.parseInt(percent.group(1)) / 100)
        .isGreaterThanOrEqualTo(MEASURED_HEAP_PEAK_BYTES_1M_ROWS);
  }

  @Test
  void temporalTlsApiKeyAndPrivateCaComeFromSecrets() {
    List<Map<String, Object>> manifests = template("tls-apikey");
    Map<String, Object> worker =
        named(ofKind(manifests, "Deployment"), "perennial-worker-training");
    Map<String, String> env = env(worker);
    assertThat(env)
        .containsEntry("SPRING_TEMPORAL_CONNECTION_ENABLE_HTTPS", "true")
        .containsEntry(
            "SPRING_TEMPORAL_CONNECTION_MTLS_CERT_CHAIN_FILE",
            "/etc/perennial/temporal-client/tls.crt")
        .containsEntry(
            "SPRING_TEMPORAL_CONNECTION_MTLS_KEY_FILE", "/etc/perennial/temporal-client/tls.key")
        .containsEntry(
            "SPRING_TEMPORAL_CONNECTION_MTLS_SERVER_NAME", "perennial.a1b2c.tmprl.cloud");
    assertThat(env.get("JAVA_TOOL_OPTIONS"))
        .contains("-Djavax.net.ssl.trustStore=/etc/perennial/temporal-ca/truststore.p12")
        .contains("-Djavax.net.ssl.trustStorePassword=$(PERENNIAL_TRUST_STORE_PASSWORD)");
    Map<String, Object> pod = map(map(map(worker, "spec"), "template"), "spec");
    assertThat(list(pod, "volumes"))
        .filteredOn(v -> v.containsKey("secret"))
        .extracting(v -> map(v, "secret").get("secretName"))
        .containsExactlyInAnyOrder("temporal-client-tls", "temporal-ca");
    Map<String, Object> config = ofKind(manifests, "ConfigMap").get(0);
    assertThat(map(config, "data"))
        .containsEntry("PERENNIAL_TEMPORAL_ADDRESS", "perennial.a1b2c.tmprl.cloud:7233")
        .containsEntry("PERENNIAL_TEMPORAL_NAMESPACE", "perennial.a1b2c");
    // A hashed serving key may be a literal (it is no secret); the other comes from its secret.
    Map<String, String> serving = env(named(ofKind(manifests, "Deployment"), "perennial-serving"));
    assertThat(serving)
        .containsEntry("PERENNIAL_SERVING_AUTH_KEYS_0_NAME", "checkout")
        .containsEntry("PERENNIAL_SERVING_AUTH_KEYS_0_SCOPES", "predict")
        .containsEntry("PERENNIAL_SERVING_AUTH_KEYS_1_SCOPES", "feedback")
        .containsKey("PERENNIAL_SERVING_AUTH_KEYS_1_SHA256")
        .doesNotContainKey("PERENNIAL_SERVING_AUTH_KEYS_1_SECRET");
  }

  @Test
  void missingSettingsAreRefusedNamingTheValue() {
    InfraTools.Result noTemporal =
        helm("template", "perennial", CHART, "--set", "s3.endpoint=http://s3:9000");
    assertThat(noTemporal.code()).isNotZero();
    assertThat(noTemporal.output()).contains("temporal.address is required");

    InfraTools.Result noKeys =
        helm(
            "template",
            "perennial",
            CHART,
            "-f",
            valuesFile("minimal"),
            "--set",
            "serving.apiKeys=null");
    assertThat(noKeys.code()).isNotZero();
    assertThat(noKeys.output()).contains("serving.apiKeys needs at least one key");

    InfraTools.Result plainKey =
        helm(
            "template",
            "perennial",
            CHART,
            "-f",
            valuesFile("minimal"),
            "--set",
            "serving.apiKeys[0].name=apps,serving.apiKeys[0].scopes={predict},serving.apiKeys[0].secretName=");
    assertThat(plainKey.code()).isNotZero();
    assertThat(plainKey.output()).contains("serving.apiKeys[0] (apps) needs secretName");
  }

  private static InfraTools.Result helm(String... args) {
    List<String> command = new ArrayList<>(List.of(helm));
    command.addAll(List.of(args));
    return InfraTools.run(command);
  }

  private static String valuesFile(String name) {
    return CHART + "/ci/" + name + "-values.yaml";
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> template(String values) {
    InfraTools.Result r = helm("template", "perennial", CHART, "-f", valuesFile(values));
    assertThat(r.code()).as(r.output()).isZero();
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(r.output())) {
      if (doc != null) {
        manifests.add((Map<String, Object>) doc);
      }
    }
    return manifests;
  }

  private static List<Map<String, Object>> ofKind(List<Map<String, Object>> all, String kind) {
    return all.stream().filter(m -> kind.equals(m.get("kind"))).toList();
  }

  private static Map<String, Object> named(List<Map<String, Object>> all, String name) {
    return all.stream().filter(m -> name.equals(name(m))).findFirst().orElseThrow();
  }

  private static String name(Map<String, Object> manifest) {
    return (String) map(manifest, "metadata").get("name");
  }

  /** The literal environment of a deployment's first container. */
  private static Map<String, String> env(Map<String, Object> deployment) {
    Map<String, Object> container =
        list(map(map(map(deployment, "spec"), "template"), "spec"), "containers").get(0);
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (Map<String, Object> e : list(container, "env")) {
      if (e.containsKey("value")) {
        env.put((String) e.get("name"), Objects.toString(e.get("value")));
      } else {
        env.put((String) e.get("name"), null);
      }
    }
    return env;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertThat(v).as("%s in %s", key, m.keySet()).isInstanceOf(Map.class);
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    Object v = m.get(key);
    assertThat(v).as("%s in %s", key, m.keySet()).isInstanceOf(List.class);
    return (List<Map<String, Object>>) v;
  }

  /** A Kubernetes quantity such as {@code 3Gi} or {@code 512Mi}, in bytes. */
  private static double bytes(String quantity) {
    var m = Pattern.compile("(\\d+)(Ki|Mi|Gi)").matcher(quantity);
    assertThat(m.matches()).as(quantity).isTrue();
    int shift =
        switch (m.group(2)) {
          case "Ki" -> 10;
          case "Mi" -> 20;
          default -> 30;
        };
    return Double.parseDouble(m.group(1)) * (1L << shift);
  }
}
