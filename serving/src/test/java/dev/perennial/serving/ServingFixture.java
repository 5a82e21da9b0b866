package dev.perennial.serving;

import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingService;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.gate.ValidationGate;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.EvaluationJob;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingJob;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A model server on a free loopback port, against an embedded S3 holding a small model trained on
 * generated credit-default data: v1 (logistic regression, champion) and v2 (gradient boosting,
 * registered, not serving). {@code LiveServer}'s tests test this server and {@code
 * PredictBenchmark} measures it, so both see the same setup.
 *
 * <p>Closing it stops the server; the embedded S3 belongs to the caller.
 */
public final class ServingFixture implements AutoCloseable {
  /** The model the fixture trains and serves. */
  public static final String MODEL = "credit-default";

  /** A realistic single row of {@link #MODEL}, as a JSON object. */
  public static final String ROW =
      "{\"age\":41,\"income\":52000,\"utilization\":0.93,\"late_payments_12m\":3,"
          + "\"region\":\"south\",\"employment_type\":\"contractor\",\"savings\":null}";

  /** An API key of both scopes, predict and feedback, that the fixture's server accepts. */
  public static final String KEY = "test-key-of-both-scopes-0123456789abcdef";

  /** An API key of scope predict only. */
  public static final String PREDICT_KEY = "test-key-of-scope-predict-0123456789abcdef";

  /** An API key of scope feedback only, configured by its SHA-256 rather than in plain. */
  public static final String FEEDBACK_KEY = "test-key-of-scope-feedback-0123456789abcdef";

  private final EmbeddedS3 s3;
  private final String artifactBucket;
  private final ModelRegistry registry;
  private final TrainingService training;
  private final DatasetSnapshot snapshot;
  private final TrainedModel v1;
  private final TrainedModel v2;
  private ConfigurableApplicationContext server;
  private String base;
  private String management;

  private ServingFixture(EmbeddedS3 s3) {
    this.s3 = s3;
    String data = s3.freshBucket();
    this.artifactBucket = s3.freshBucket();
    new CreditDefaultGenerator()
        .generate(
            s3.store(), data, MODEL, GeneratorSpec.clean(5, LocalDate.of(2026, 1, 1), 4, 1500));
    this.snapshot =
        new DatasetSnapshots(s3.store(), artifactBucket)
            .snapshot(
                new DatasetSpec(data, null, null, null, null, null).withDefaults(MODEL),
                (d, t) -> {});
    this.training = new TrainingService(s3.store(), artifactBucket, new SnapshotReader(s3.store()));
    this.registry =
        new ModelRegistry(
            s3.store(),
            artifactBucket,
            Clock.systemUTC(),
            ArtifactCheck.loadable(s3.store(), Trainers.onClassPath().codec()));
    this.v1 = train(Hyperparameters.LOGISTIC_REGRESSION, "run-1");
    register(MODEL, v1, Hyperparameters.LOGISTIC_REGRESSION, "run-1");
    this.v2 = train(Hyperparameters.GRADIENT_BOOSTING, "run-2");
    register(MODEL, v2, Hyperparameters.GRADIENT_BOOSTING, "run-2");
    registry.setAlias(new AliasChange(MODEL, Aliases.CHAMPION, 1, "test", "test"));
  }

  /**
   * Trains and registers the model in {@code s3}, then starts the server on it.
   *
   * @param spool the prediction log's spool directory
   * @param overrides server properties; they win over the fixture's (free ports for the API and
   *     management, this S3, registry read every 200 ms, prediction log flushed every 200 ms, the
   *     keys {@link #KEY}, {@link #PREDICT_KEY} and {@link #FEEDBACK_KEY})
   */
  public static ServingFixture start(EmbeddedS3 s3, Path spool, Map<String, ?> overrides) {
    ServingFixture fixture = new ServingFixture(s3);
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.port", 0);
    properties.put("management.server.port", 0);
    properties.put("perennial.serving.auth.keys[0].name", "test");
    properties.put("perennial.serving.auth.keys[0].secret", KEY);
    properties.put("perennial.serving.auth.keys[0].scopes", "predict,feedback");
    properties.put("perennial.serving.auth.keys[1].name", "traffic");
    properties.put("perennial.serving.auth.keys[1].secret", PREDICT_KEY);
    properties.put("perennial.serving.auth.keys[1].scopes", "predict");
    properties.put("perennial.serving.auth.keys[2].name", "labels");
    properties.put(
        "perennial.serving.auth.keys[2].sha256",
        java.util.HexFormat.of().formatHex(ApiKeys.sha256(FEEDBACK_KEY)));
    properties.put("perennial.serving.auth.keys[2].scopes", "feedback");
    properties.put("perennial.artifact-bucket", fixture.artifactBucket);
    properties.put("perennial.s3.endpoint", s3.endpoint());
    properties.put("perennial.s3.access-key", s3.settings().accessKey());
    properties.put("perennial.s3.secret-key", s3.settings().secretKey());
    properties.put("perennial.serving.refresh-interval", "200ms");
    properties.put("perennial.serving.spool-dir", spool);
    properties.put("perennial.serving.log-flush-interval", "200ms");
    properties.putAll(overrides);
    fixture.server = ServingApplication.start(properties);
    fixture.base =
        "http://127.0.0.1:"
            + ((WebServerApplicationContext) fixture.server).getWebServer().getPort();
    fixture.management =
        "http://127.0.0.1:"
            + fixture.server.getEnvironment().getRequiredProperty("local.management.port");
    return fixture;
  }

  private static Hyperparameters hyperparameters(String algorithm) {
    return new Hyperparameters(algorithm, 30, null, null, null, null, null, null, null, null, 3L)
        .withDefaults();
  }

  private TrainedModel train(String algorithm, String runId) {
    return train(hyperparameters(algorithm), runId);
  }

  /**
   * Trains on the fixture's data with the trainers on the test class path, as a worker would, and
   * stores the artifacts under {@code runId}.
   */
  public TrainedModel train(Hyperparameters hyperparameters, String runId) {
    return training.train(
        new TrainingJob(MODEL, snapshot, 1, hyperparameters, runId), TrainingProgress.NONE);
  }

  /**
   * Registers {@code trained} (artifacts of a run of {@link #MODEL}) as the next version of {@code
   * model}, evaluated on the fixture's data and approved by the default gate.
   */
  public ModelVersion register(String model, TrainedModel trained, String algorithm, String runId) {
    return register(model, trained, hyperparameters(algorithm), runId);
  }

  /** As {@link #register(String, TrainedModel, String, String)}, trained with {@code h}. */
  public ModelVersion register(
      String model, TrainedModel trained, Hyperparameters hyperparameters, String runId) {
    var evaluation =
        training.evaluate(
            new EvaluationJob(MODEL, snapshot, 1, trained.model(), null, runId),
            TrainingProgress.NONE);
    return register(model, trained, hyperparameters, runId, evaluation);
  }

  /** As above, with an evaluation given rather than made: for models the fixture cannot load. */
  public ModelVersion register(
      String model,
      TrainedModel trained,
      Hyperparameters hyperparameters,
      String runId,
      Evaluation evaluation) {
    return registry.register(
        new RegistrationRequest(
            model,
            runId,
            snapshot,
            trained,
            hyperparameters,
            evaluation,
            ValidationGate.of(GatePolicy.defaults()).decide(evaluation.candidate(), null, null),
            Trigger.MANUAL,
            "wf",
            runId,
            null));
  }

  public EmbeddedS3 s3() {
    return s3;
  }

  public String artifactBucket() {
    return artifactBucket;
  }

  public ModelRegistry registry() {
    return registry;
  }

  /** v1: logistic regression, the champion when the server starts. */
  public TrainedModel v1() {
    return v1;
  }

  /** v2: gradient boosting, registered and approved. */
  public TrainedModel v2() {
    return v2;
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String base() {
    return base;
  }

  /** The management server's base URL (actuator), on a port of its own. */
  public String management() {
    return management;
  }

  public ConfigurableApplicationContext server() {
    return server;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
