package dev.perennial.workflows.pipeline;

import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.canary.CanaryPolicy;
import dev.perennial.workflows.canary.RolloutMode;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationRules;
import dev.perennial.workflows.gate.GatePolicy;
import dev.perennial.workflows.search.HyperparameterSearch;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Input of the {@code ContinuousTraining} workflow. Only {@code model} is required: {@code
 * {"model":"credit-default"}} from the Temporal UI trains on the model's default dataset with
 * default hyperparameters, rules and gate.
 *
 * @param model model name (lower-case letters, digits, '-')
 * @param trigger why the run starts (default MANUAL)
 * @param dataset which data (default: the latest 30 daily partitions under {@code <model>/} in
 *     {@code perennial-data})
 * @param hyperparameters how to train (default gradient boosting)
 * @param validation hard data rules
 * @param gate when the candidate may replace the champion
 * @param holdoutDays latest partitions kept back for evaluation (default 2)
 * @param promoteOnPass shorthand for {@code "rollout": "PROMOTE"} (default false)
 * @param note free text recorded with the run, e.g. what triggered it
 * @param rollout what a candidate that passed the gate becomes: CANARY (default: rolled out against
 *     the champion step by step), SHADOW (scores beside the champion, answering nobody, then
 *     promoted if it passes), CHALLENGER or PROMOTE. A model's first version is always promoted
 *     when it passes: there is no champion to compare with.
 * @param canary the canary's (or shadow's) steps, bake time and thresholds (see {@link
 *     CanaryPolicy})
 * @param driftReport the drift report that started this run (set by the drift monitor); recorded
 *     with the version it registers
 * @param search a hyperparameter search around {@code hyperparameters} instead of one training:
 *     trials on the training workers, the best by a validation metric becomes the candidate, and
 *     every trial is recorded with the version (see {@link HyperparameterSearch}); none by default
 * @param force train even when a registered version was made from the same data with the same
 *     options and code (default false: such a run trains nothing and ends {@link
 *     Outcome#UNCHANGED}, naming that version; see {@link dev.perennial.workflows.cache.CacheHit})
 */
public record ContinuousTrainingRequest(
    String model,
    Trigger trigger,
    DatasetSpec dataset,
    Hyperparameters hyperparameters,
    ValidationRules validation,
    GatePolicy gate,
    Integer holdoutDays,
    Boolean promoteOnPass,
    String note,
    Rollout rollout,
    CanaryPolicy canary,
    ObjectRef driftReport,
    HyperparameterSearch search,
    Boolean force) {

  public static final int DEFAULT_HOLDOUT_DAYS = 2;

  /** A request that trains once, without a search, and takes a cached version when there is one. */
  public ContinuousTrainingRequest(
      String model,
      Trigger trigger,
      DatasetSpec dataset,
      Hyperparameters hyperparameters,
      ValidationRules validation,
      GatePolicy gate,
      Integer holdoutDays,
      Boolean promoteOnPass,
      String note,
      Rollout rollout,
      CanaryPolicy canary,
      ObjectRef driftReport) {
    this(
        model,
        trigger,
        dataset,
        hyperparameters,
        validation,
        gate,
        holdoutDays,
        promoteOnPass,
        note,
        rollout,
        canary,
        driftReport,
        null,
        null);
  }

  /** The same request, searching with {@code s} (null: trains once). */
  public ContinuousTrainingRequest withSearch(HyperparameterSearch s) {
    return toBuilder().search(s).build();
  }

  /** A request for {@code model} with every default. */
  public static ContinuousTrainingRequest of(String model) {
    return builder(model).build();
  }

  /**
   * A request for {@code model} to fill in, e.g. {@code
   * builder("churn").trigger(Trigger.SCHEDULE).lastDays(14).note("weekly").build()}; every field
   * left unset means its default.
   */
  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** A builder holding this request's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder(model)
        .trigger(trigger)
        .dataset(dataset)
        .hyperparameters(hyperparameters)
        .validation(validation)
        .gate(gate)
        .holdoutDays(holdoutDays)
        .promoteOnPass(promoteOnPass)
        .note(note)
        .rollout(rollout)
        .canary(canary)
        .driftReport(driftReport)
        .search(search)
        .force(force);
  }

  /**
   * This request as the drift monitor starts it for {@code model}: trigger DRIFT, the report that
   * breached attached, and {@code why} as the note (after any note already given).
   */
  public ContinuousTrainingRequest forDrift(String model, ObjectRef report, String why) {
    return toBuilder()
        .model(model)
        .trigger(Trigger.DRIFT)
        .note(note == null || note.isBlank() ? why : note + "; " + why)
        .driftReport(report)
        .build();
  }

  /**
   * This request as the data watch starts it for {@code model}: trigger DATA, the watched {@code
   * bucket} and {@code prefix} as the dataset's where the request names none, and {@code why} as
   * the note (after any note already given).
   */
  public ContinuousTrainingRequest forNewData(
      String model, String bucket, String prefix, String why) {
    DatasetSpec d = dataset == null ? new DatasetSpec(null, null, null, null, null, null) : dataset;
    return toBuilder()
        .model(model)
        .trigger(Trigger.DATA)
        .dataset(
            new DatasetSpec(
                d.bucket() == null ? bucket : d.bucket(),
                d.prefix() == null ? prefix : d.prefix(),
                d.from(),
                d.to(),
                d.lastDays(),
                d.schemaKey()))
        .note(note == null || note.isBlank() ? why : note + "; " + why)
        .build();
  }

  /** Same request with every unset field at its default. */
  public ContinuousTrainingRequest withDefaults() {
    Rollout chosen =
        promoteOnPass != null && promoteOnPass
            ? Rollout.PROMOTE
            : rollout == null ? Rollout.CANARY : rollout;
    RolloutMode mode = chosen.mode();
    return new ContinuousTrainingRequest(
        model,
        trigger == null ? Trigger.MANUAL : trigger,
        (dataset == null ? DatasetSpec.forModel(model) : dataset.withDefaults(model)),
        hyperparameters == null ? Hyperparameters.defaults() : hyperparameters.withDefaults(),
        validation == null ? ValidationRules.defaults() : validation.withDefaults(),
        gate == null ? GatePolicy.defaults() : gate.withDefaults(),
        holdoutDays == null ? DEFAULT_HOLDOUT_DAYS : holdoutDays,
        promoteOnPass != null && promoteOnPass,
        note,
        chosen,
        canary == null ? CanaryPolicy.defaultsFor(mode) : canary.withDefaultsFor(mode),
        driftReport,
        search,
        force != null && force);
  }

  /** Whether the run trains even when a registered version has its cache key. */
  public boolean forced() {
    return force != null && force;
  }

  /** Every problem of this request, each naming its field; empty when it is valid. */
  public List<String> problems() {
    RequestProblems p = new RequestProblems().name("model", model);
    p.range("holdoutDays", holdoutDays, 1, 365);
    p.require(
        promoteOnPass == null || !promoteOnPass || rollout == null || rollout == Rollout.PROMOTE,
        "promoteOnPass",
        "true means rollout PROMOTE, but rollout is " + rollout + ": give one of them");
    List<String> nested = new ArrayList<>();
    if (dataset != null) {
      nested.addAll(dataset.problems("dataset"));
    }
    if (hyperparameters != null) {
      nested.addAll(hyperparameters.problems("hyperparameters"));
    }
    if (validation != null) {
      nested.addAll(validation.problems("validation"));
    }
    if (gate != null) {
      nested.addAll(gate.problems("gate"));
    }
    if (canary != null) {
      nested.addAll(canary.problems("canary"));
    }
    if (search != null) {
      nested.addAll(search.problems("search", hyperparameters));
    }
    return p.addAll(nested).list();
  }

  /** Fills in a {@link ContinuousTrainingRequest}; see {@link #builder(String)}. */
  public static final class Builder {
    private String model;
    private Trigger trigger;
    private DatasetSpec dataset;
    private Hyperparameters hyperparameters;
    private ValidationRules validation;
    private GatePolicy gate;
    private Integer holdoutDays;
    private Boolean promoteOnPass;
    private String note;
    private Rollout rollout;
    private CanaryPolicy canary;
    private ObjectRef driftReport;
    private HyperparameterSearch search;
    private Boolean force;

    private Builder(String model) {
      this.model = model;
    }

    public Builder model(String m) {
      model = m;
      return this;
    }

    public Builder trigger(Trigger t) {
      trigger = t;
      return this;
    }

    public Builder dataset(DatasetSpec s) {
      dataset = s;
      return this;
    }

    /** The latest {@code days} partitions of the model's default dataset. */
    public Builder lastDays(int days) {
      dataset = new DatasetSpec(null, null, null, null, days, null);
      return this;
    }

    public Builder hyperparameters(Hyperparameters h) {
      hyperparameters = h;
      return this;
    }

    public Builder validation(ValidationRules r) {
      validation = r;
      return this;
    }

    public Builder gate(GatePolicy p) {
      gate = p;
      return this;
    }

    public Builder holdoutDays(Integer days) {
      holdoutDays = days;
      return this;
    }

    public Builder promoteOnPass(Boolean b) {
      promoteOnPass = b;
      return this;
    }

    public Builder note(String n) {
      note = n;
      return this;
    }

    public Builder rollout(Rollout r) {
      rollout = r;
      return this;
    }

    public Builder canary(CanaryPolicy p) {
      canary = p;
      return this;
    }

    public Builder driftReport(ObjectRef ref) {
      driftReport = ref;
      return this;
    }

    public Builder search(HyperparameterSearch s) {
      search = s;
      return this;
    }

    /** True: train even when a registered version was made from the same inputs. */
    public Builder force(Boolean f) {
      force = f;
      return this;
    }

    public ContinuousTrainingRequest build() {
      return new ContinuousTrainingRequest(
          model,
          trigger,
          dataset,
          hyperparameters,
          validation,
          gate,
          holdoutDays,
          promoteOnPass,
          note,
          rollout,
          canary,
          driftReport,
          search,
          force);
    }
  }
}
