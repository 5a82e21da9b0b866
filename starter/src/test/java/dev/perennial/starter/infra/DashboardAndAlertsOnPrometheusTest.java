package dev.perennial.starter.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStores;
import dev.perennial.core.training.Trainers;
import dev.perennial.starter.cli.RealServers;
import dev.perennial.starter.demo.Demo;
import dev.perennial.starter.stack.DevStack;
import dev.perennial.starter.stack.Endpoints;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard (infra/grafana) and the alert rules (infra/prometheus/alerts.yml) against
 * what Perennial really exports: a real Prometheus scrapes the worker and the model server of a
 * stack on the real Temporal dev server and MinIO while the demo runs (trainings, a promoted and a
 * rolled-back canary, traffic with labels, a drift breach); then every panel's query and every
 * series selector of every alert must return series. The rules also pass {@code promtool check
 * rules} and their unit tests ({@code promtool test rules}).
 */
class DashboardAndAlertsOnPrometheusTest {
  private static final Path DASHBOARD =
      InfraTools.ROOT.resolve("infra/grafana/perennial-dashboard.json");
  private static final Path ALERTS = InfraTools.ROOT.resolve("infra/prometheus/alerts.yml");
  private static final Path ALERT_TESTS =
      InfraTools.ROOT.resolve("infra/prometheus/alerts-test.yml");

  /**
   * Grafana's variables as the test sets them: every model, and windows that span the whole demo
   * (Grafana's own $__rate_interval would be a few scrape intervals).
   */
  private static final Map<String, String> VARIABLES =
      Map.of("$__rate_interval", "5m", "$__interval", "5m", "$__range", "1h", "$model", ".+");

  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\((.+),\\s*([a-zA-Z_]+)\\)");

  static Path prometheus;
  static Path promtool;

  @BeforeAll
  static void findTools() {
    prometheus = InfraTools.require("prometheus");
    promtool = InfraTools.require("promtool");
  }

  @Test
  void rulesPassPromtoolsChecksAndUnitTests() {
    InfraTools.Result check =
        InfraTools.run(List.of(promtool.toString(), "check", "rules", ALERTS.toString()));
    assertThat(check.code()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + alertRules().size() + " rules found");

    InfraTools.Result test =
        InfraTools.run(List.of(promtool.toString(), "test", "rules", ALERT_TESTS.toString()));
    assertThat(test.code()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void everyPanelAndAlertQueryReturnsSeriesAfterADemoRun(@TempDir Path dir) throws Exception {
    RealServers.assumeInstalled();
    StringWriter demoOutput = new StringWriter();
    PrintWriter out = new PrintWriter(demoOutput, true);
    try (DevStack stack =
            DevStack.startOnFreePorts(
                dir.resolve("stack"),
                DevStack.External.NONE,
                DevStack.ServerChoice.INSTALLED,
                out);
        PrometheusServer server =
            PrometheusServer.start(
                prometheus,
                dir.resolve("prometheus"),
                Map.of(
                    "perennial-worker", stack.endpoints().workerAddress(),
                    "perennial-serving", stack.endpoints().servingManagementAddress()))) {
      try {
        runDemo(stack.endpoints(), out);
      } catch (Exception | AssertionError e) {
        throw new AssertionError("the demo failed:\n" + demoOutput, e);
      }
      awaitScrapesAfter(server, System.currentTimeMillis() / 1000.0);

      // Prometheus loaded every rule, healthy.
      List<String> loaded = new ArrayList<>();
      server
          .rules()
          .forEach(
              g ->
                  g.get("rules")
                      .forEach(
                          r -> {
                            assertThat(r.path("health").asText()).as(r.toString()).isEqualTo("ok");
                            loaded.add(r.get("name").asText());
                          }));
      assertThat(loaded).containsExactlyInAnyOrderElementsOf(alertRules().keySet());

      Map<String, String> queries = new LinkedHashMap<>();
      dashboardQueries().forEach((where, expr) -> queries.put(where, expr));
      alertRules()
          .forEach(
              (alert, expr) -> {
                int i = 0;
                for (String selector : selectors(server.parse(expr))) {
                  queries.put("alert " + alert + " selector " + ++i, selector);
                }
              });
      // What the check below tells apart: a selector of no exported series answers none.
      assertThat(server.query("perennial_runs_total{outcome=\"NO_SUCH_OUTCOME\"}")).isEmpty();
      List<String> empty = new ArrayList<>();
      queries.forEach(
          (where, promql) -> {
            if (server.query(promql).isEmpty()) {
              empty.add(where + ": " + promql);
            }
          });
      assertThat(empty)
          .as(
              "queries that returned no series; Prometheus has the metrics %s",
              server.metricNames())
          .isEmpty();
      assertThat(queries).hasSizeGreaterThan(30);
    }
  }

  /** The demo on the stack, as {@code perennial demo} runs it (4000 rows a day). */
  private static void runDemo(Endpoints endpoints, PrintWriter out) throws Exception {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(endpoints.temporalTarget()).build());
    try {
      WorkflowClient client =
          WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder().setNamespace(endpoints.namespace()).build());
      ObjectStore store = ObjectStores.open(endpoints.s3Settings(), false);
      new Demo(
              client,
              store,
              () ->
                  new ModelRegistry(
                      store,
                      endpoints.artifactBucket(),
                      Clock.systemUTC(),
                      v -> ArtifactCheck.loadable(store, Trainers.onClassPath().codec()).check(v)),
              endpoints,
              "credit-default",
              4000,
              7,
              out)
          .run();
    } finally {
      service.shutdown();
    }
  }

  /** Waits until Prometheus has a scrape of every target from after {@code epochSeconds}. */
  private static void awaitScrapesAfter(PrometheusServer server, double epochSeconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (true) {
      JsonNode scrapes = server.query("timestamp(up)");
      boolean all = scrapes.size() == 2;
      for (JsonNode s : scrapes) {
        all &= s.get("value").get(1).asDouble() > epochSeconds + 1;
      }
      if (all) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no scrape of both targets after the demo: " + scrapes);
      }
      Thread.sleep(500);
    }
  }

  /** Each dashboard query with Grafana's variables set, by where it is (panel title, refId). */
  private static Map<String, String> dashboardQueries() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      String definition = variable.path("definition").asText();
      if (definition.isEmpty()) {
        continue;
      }
      Matcher m = LABEL_VALUES.matcher(definition);
      assertThat(m.matches()).as("variable %s: %s", variable.get("name"), definition).isTrue();
      // label_values(selector, label): the selector's series that carry the label.
      queries.put(
          "variable " + variable.get("name").asText(),
          "count by (" + m.group(2) + ") (" + m.group(1) + ")");
    }
    List<JsonNode> panels = new ArrayList<>();
    dashboard.path("panels").forEach(panels::add);
    for (int i = 0; i < panels.size(); i++) {
      JsonNode panel = panels.get(i);
      panel.path("panels").forEach(panels::add);
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertThat(expr).as(panel.get("title") + " " + target.get("refId")).isNotBlank();
        for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
          expr = expr.replace(v.getKey(), v.getValue());
        }
        assertThat(expr)
            .as(panel.get("title") + ": a variable the test does not set")
            .doesNotContain("$");
        queries.put(
            "panel \"" + panel.get("title").asText() + "\" " + target.get("refId").asText(), expr);
      }
    }
    assertThat(queries).as("dashboard queries").hasSizeGreaterThan(20);
    return queries;
  }

  /** Each alert's name and expression, in the order of alerts.yml. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> alertRules() {
    Map<String, String> rules = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(ALERTS)) {
      Map<String, Object> file = new Yaml().load(in);
      for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
          rules.put((String) rule.get("alert"), ((String) rule.get("expr")).strip());
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rules;
  }

  /**
   * The series selectors in a parsed expression (vector and range selectors, without their range or
   * offset): each names series the expression reads.
   */
  private static Set<String> selectors(JsonNode node) {
    Set<String> found = new LinkedHashSet<>();
    collect(node, found);
    return found;
  }

  private static void collect(JsonNode node, Set<String> found) {
    if (node.isObject()) {
      String type = node.path("type").asText();
      if ((type.equals("vectorSelector") || type.equals("matrixSelector"))
          && node.has("matchers")) {
        List<String> matchers = new ArrayList<>();
        for (JsonNode m : node.get("matchers")) {
          matchers.add(
              m.get("name").asText()
                  + m.get("type").asText()
                  + '"'
                  + m.get("value").asText().replace("\\", "\\\\").replace("\"", "\\\"")
                  + '"');
        }
        found.add("{" + String.join(",", matchers) + "}");
      }
      node.forEach(child -> collect(child, found));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, found));
    }
  }
}
