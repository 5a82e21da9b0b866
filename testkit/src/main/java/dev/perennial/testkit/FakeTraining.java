package dev.perennial.testkit;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.training.Evaluation;
import dev.perennial.workflows.training.EvaluationJob;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.ModelMetrics;
import dev.perennial.workflows.training.SliceMetrics;
import dev.perennial.workflows.training.SliceResults;
import dev.perennial.workflows.training.Slicing;
import dev.perennial.workflows.training.TrainedModel;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.training.TrainingJob;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Training without training. {@link #train} returns artifacts under {@code runs/<model>/<runId>/},
 * having trained on {@link FakeDatasets#ROWS_PER_DAY} rows per partition outside the held-out
 * window. {@link #evaluate} scores:
 *
 * <ul>
 *   <li>the candidate with {@link #candidate(ModelMetrics)} (default AUC 0.85, log loss 0.40: it
 *       passes the default gate);
 *   <li>the champion, when the job names one, with {@link #champion(ModelMetrics)} if set; else
 *       with the metrics its registry version was evaluated with (in the test environment, what
 *       {@link FakeRegistry#seedChampion} was given); else AUC 0.80, log loss 0.45.
 * </ul>
 *
 * <p>An evaluation job that asks for slices gets those {@link #slices} set for its slicings
 * (without the champion's side when it has no champion); a slicing nobody set is refused as the
 * worker refuses a feature its schema lacks.
 *
 * <p>{@link #nextEvaluation} queues the answer of a single call, ahead of those defaults. A
 * training's validation metrics (what a hyperparameter search picks its best trial by) are the
 * candidate's, or what {@link #validation} makes of its hyperparameters.
 */
public class FakeTraining implements TrainingActivities {
  private static final ModelMetrics DEFAULT_CHAMPION = Records.metrics(0.80, 0.45);

  private final Function<ObjectRef, Optional<ModelVersion>> versions;
  private final List<TrainingJob> trainingJobs = new ArrayList<>();
  private final List<EvaluationJob> evaluationJobs = new ArrayList<>();
  private final Deque<ModelMetrics[]> next = new ArrayDeque<>();
  private ModelMetrics candidate = Records.metrics().build();
  private ModelMetrics champion;
  private Function<Hyperparameters, ModelMetrics> validation;
  private final Map<Slicing, SliceResults> slices = new LinkedHashMap<>();

  /** Training that knows no registry: a champion scores {@link #champion} or AUC 0.80. */
  public FakeTraining() {
    this(ref -> Optional.empty());
  }

  /** Training that scores a champion as {@code registry} says it was evaluated. */
  public FakeTraining(FakeRegistry registry) {
    this(registry::byArtifact);
  }

  private FakeTraining(Function<ObjectRef, Optional<ModelVersion>> versions) {
    this.versions = versions;
  }

  // ---- TrainingActivities ----

  @Override
  public synchronized TrainedModel train(TrainingJob job) {
    trainingJobs.add(job);
    long days = job.snapshot() == null ? 0 : job.snapshot().partitions() - job.holdoutDays();
    return Records.trainedModel()
        .under(runPrefix(job.model(), job.runId()))
        .rows(Math.max(0, days) * FakeDatasets.ROWS_PER_DAY)
        .metrics(validation == null ? candidate : validation.apply(job.hyperparameters()))
        .build();
  }

  @Override
  public synchronized Evaluation evaluate(EvaluationJob job) {
    evaluationJobs.add(job);
    ModelMetrics[] queued = next.poll();
    ModelMetrics c = queued != null && queued[0] != null ? queued[0] : candidate;
    ModelMetrics ch = null;
    if (job.champion() != null) {
      ch = queued != null && queued[1] != null ? queued[1] : championFor(job.champion());
    }
    String under = runPrefix(job.model(), job.runId());
    return new Evaluation(
        c,
        ch,
        Records.ref(under + "evaluation.json"),
        Records.ref(under + "evaluation.html"),
        slicesFor(job));
  }

  private List<SliceResults> slicesFor(EvaluationJob job) {
    if (job.slices() == null) {
      return null;
    }
    List<SliceResults> out = new ArrayList<>();
    for (Slicing by : job.slices()) {
      SliceResults set = slices.get(by);
      if (set == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Invalid slices: no slices of " + by + " were set on the fake (FakeTraining.slices)",
            FailureTypes.INVALID_REQUEST);
      }
      out.add(
          job.champion() != null
              ? set
              : new SliceResults(
                  by,
                  set.slices().stream()
                      .map(
                          m ->
                              new SliceMetrics(
                                  m.feature(),
                                  m.value(),
                                  m.rows(),
                                  m.positives(),
                                  m.candidate(),
                                  m.candidatePredictedPositives(),
                                  null))
                      .toList()));
    }
    return out;
  }

  // ---- Setting up ----

  /** Every candidate from now on scores {@code metrics} (also its training report). */
  public synchronized FakeTraining candidate(ModelMetrics metrics) {
    candidate = metrics;
    return this;
  }

  /** {@link #candidate(ModelMetrics)} with AUC and log loss. */
  public FakeTraining candidate(double auc, double logLoss) {
    return candidate(Records.metrics(auc, logLoss));
  }

  /**
   * Every training from now on reports {@code scoring} of its hyperparameters as its validation
   * metrics, so a search's trials score differently: {@code h -> Records.metrics(0.8 + h.maxDepth()
   * / 100.0, 0.4)}.
   */
  public synchronized FakeTraining validation(Function<Hyperparameters, ModelMetrics> scoring) {
    validation = scoring;
    return this;
  }

  /** Every champion from now on scores {@code metrics}, whatever the registry says. */
  public synchronized FakeTraining champion(ModelMetrics metrics) {
    champion = metrics;
    return this;
  }

  /** {@link #champion(ModelMetrics)} with AUC and log loss. */
  public FakeTraining champion(double auc, double logLoss) {
    return champion(Records.metrics(auc, logLoss));
  }

  /**
   * The next evaluation, one call only, scores the candidate with {@code candidate} and a champion
   * (when the job has one) with {@code champion}; a null takes the usual answer. Calls queue up.
   */
  public synchronized FakeTraining nextEvaluation(ModelMetrics candidate, ModelMetrics champion) {
    next.add(new ModelMetrics[] {candidate, champion});
    return this;
  }

  /**
   * Evaluations that ask for slices {@code by} this slicing get {@code slices} from now on, e.g.
   * {@code slices(Slicing.byValue("region"), Records.slice("region", "south", 400, 0.70, 0.78))}.
   */
  public synchronized FakeTraining slices(Slicing by, SliceMetrics... slices) {
    this.slices.put(by, new SliceResults(by, List.of(slices)));
    return this;
  }

  // ---- Reading ----

  /** The training jobs received, in order. */
  public synchronized List<TrainingJob> trainingJobs() {
    return List.copyOf(trainingJobs);
  }

  /** The evaluation jobs received, in order. */
  public synchronized List<EvaluationJob> evaluationJobs() {
    return List.copyOf(evaluationJobs);
  }

  private ModelMetrics championFor(ObjectRef model) {
    if (champion != null) {
      return champion;
    }
    return versions
        .apply(model)
        .map(ModelVersion::evaluation)
        .map(Evaluation::candidate)
        .orElse(DEFAULT_CHAMPION);
  }

  static String runPrefix(String model, String runId) {
    return "runs/" + model + "/" + runId + "/";
  }
}
