package dev.perennial.testkit;

import dev.perennial.testkit.AuditEntry.Action;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.cache.CacheKey;
import dev.perennial.workflows.cache.CacheLookup;
import dev.perennial.workflows.cache.CacheQuery;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.RegistryActivities;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.TrafficChange;
import dev.perennial.workflows.registry.VersionStatus;
import dev.perennial.workflows.training.ModelMetrics;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The model registry in memory, with the real registry's rules:
 *
 * <ul>
 *   <li>{@link #register} numbers versions 1, 2, 3, ... per model; a repeated idempotency key
 *       returns the version it made. Status is APPROVED when the gate passed, else REJECTED.
 *   <li>{@link #setAlias} and {@link #setTrafficSplit} refuse unknown and rejected versions with a
 *       non-retryable {@link FailureTypes#REGISTRY_CONFLICT}; bad names and shares are {@link
 *       FailureTypes#INVALID_REQUEST}. Repeating a change in place is a no-op, unaudited.
 *   <li>Pointing {@code champion} at a version also removes {@code challenger} when it names that
 *       version, audited with the same change.
 *   <li>{@link #reject} withdraws an approved version once (its first reason stays); it refuses
 *       unknown versions and the champion.
 *   <li>{@link #findCached} keys a run by its dataset version, its hyperparameters with defaults,
 *       held-out days and search, and {@link #codeVersion(String) the code version} (the fake knows
 *       no trainers, so no resolved options), and finds the registered versions with that key.
 * </ul>
 *
 * <p>Every effective change is audited ({@link #audit}); every call's input is kept for assertions.
 * State set up with the {@code seed} methods is the world before the test: it is not audited and
 * not counted as calls.
 */
public class FakeRegistry implements RegistryActivities {

  /**
   * A model's traffic split: {@code canaryPercent} % to {@code canaryVersion}, the rest to the
   * champion; or, with {@code shadow}, the champion answering everything while {@code
   * canaryVersion} scores {@code canaryPercent} % of the requests beside it.
   *
   * @param canaryVersion the canary or shadow, null when there is none
   * @param canaryPercent 0 to 100
   * @param shadow true for a shadow
   */
  public record TrafficSplit(Integer canaryVersion, int canaryPercent, boolean shadow) {
    /** All traffic to the champion. */
    public static final TrafficSplit CHAMPION_ONLY = new TrafficSplit(null, 0);

    /** A canary split. */
    public TrafficSplit(Integer canaryVersion, int canaryPercent) {
      this(canaryVersion, canaryPercent, false);
    }
  }

  private final Supplier<Instant> clock;
  private final Map<String, List<ModelVersion>> versions = new HashMap<>();
  private final Map<String, Integer> claims = new HashMap<>();
  private final Map<String, Map<String, Integer>> aliases = new HashMap<>();
  private final Map<String, TrafficSplit> traffic = new HashMap<>();
  private final Map<String, List<AuditEntry>> audit = new HashMap<>();
  private final List<RegistrationRequest> registrations = new ArrayList<>();
  private final List<AliasChange> aliasChanges = new ArrayList<>();
  private final List<TrafficChange> trafficChanges = new ArrayList<>();
  private final List<Rejection> rejections = new ArrayList<>();
  private final List<CacheQuery> cacheQueries = new ArrayList<>();
  private String codeVersion = "fake-trainer 1; perennial test";

  /** A registry that stamps versions and rejections with the system clock. */
  public FakeRegistry() {
    this(Instant::now);
  }

  /** A registry that stamps versions and rejections with {@code clock}. */
  public FakeRegistry(Supplier<Instant> clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---- RegistryActivities ----

  @Override
  public synchronized ModelVersion register(RegistrationRequest request) {
    registrations.add(request);
    if (request == null) {
      throw invalid("Invalid registration request: nothing given");
    }
    List<String> problems =
        new RequestProblems()
            .name("model", request.model())
            .require(
                request.idempotencyKey() != null && !request.idempotencyKey().isBlank(),
                "idempotencyKey",
                "is required")
            .require(request.gate() != null, "gate", "is required: the status comes from it")
            .list();
    if (!problems.isEmpty()) {
      throw invalid("Invalid registration request: " + String.join("; ", problems));
    }
    String model = request.model();
    Integer claimed = claims.get(model + "\n" + request.idempotencyKey());
    if (claimed != null) {
      return version(model, claimed).orElseThrow();
    }
    List<ModelVersion> list = versionsOf(model);
    ModelVersion v =
        new ModelVersion(
            model,
            list.size() + 1,
            request.gate().passed() ? VersionStatus.APPROVED : VersionStatus.REJECTED,
            request.dataset(),
            request.artifacts(),
            request.hyperparameters(),
            request.evaluation(),
            request.gate(),
            request.trigger(),
            request.workflowId(),
            request.runId(),
            clock.get().toString(),
            null,
            request.driftReport(),
            request.search(),
            request.cacheKey());
    list.add(v);
    claims.put(model + "\n" + request.idempotencyKey(), v.version());
    String reason =
        v.status() == VersionStatus.APPROVED
            ? "gate passed"
            : "gate failed: "
                + String.join("; ", Objects.requireNonNullElse(v.gate().reasons(), List.of()));
    log(model, new AuditEntry(Action.REGISTER, null, v.version(), null, reason, v.workflowId()));
    return v;
  }

  @Override
  public synchronized CacheLookup findCached(CacheQuery query) {
    cacheQueries.add(query);
    if (query == null || query.snapshot() == null || query.hyperparameters() == null) {
      throw invalid("Invalid cache query: it needs the snapshot and the hyperparameters");
    }
    requireModel(query.model());
    CacheKey key =
        CacheKey.of(
            query.snapshot().datasetVersion(),
            CacheKey.options(
                query.holdoutDays(), query.hyperparameters(), Map.of(), query.search()),
            codeVersion);
    List<ModelVersion> same =
        versionsOf(query.model()).stream()
            .filter(v -> v.cacheKey() != null && v.cacheKey().key().equals(key.key()))
            .toList();
    return new CacheLookup(
        key,
        same.stream().map(ModelVersion::version).toList(),
        same.isEmpty() ? null : same.get(same.size() - 1));
  }

  @Override
  public synchronized ModelVersion findAlias(String model, String alias) {
    requireModel(model);
    requireAlias(alias);
    Integer n = aliasesOf(model).get(alias);
    return n == null ? null : version(model, n).orElseThrow();
  }

  @Override
  public synchronized void setAlias(AliasChange change) {
    aliasChanges.add(change);
    if (change == null) {
      throw invalid("Invalid alias change: nothing given");
    }
    String model = change.model();
    requireModel(model);
    requireAlias(change.alias());
    if (change.version() != null) {
      requireApproved(model, change.version(), "alias " + change.alias() + " cannot point at");
    }
    Map<String, Integer> current = aliasesOf(model);
    Integer previous = current.get(change.alias());
    if (!Objects.equals(previous, change.version())) {
      if (change.version() == null) {
        current.remove(change.alias());
      } else {
        current.put(change.alias(), change.version());
      }
      log(
          model,
          new AuditEntry(
              change.version() == null ? Action.CLEAR_ALIAS : Action.SET_ALIAS,
              change.alias(),
              change.version(),
              previous,
              change.reason(),
              change.actor()));
    }
    // A champion is no longer anyone's challenger: the same change clears that alias.
    if (Aliases.CHAMPION.equals(change.alias())
        && change.version() != null
        && change.version().equals(current.get(Aliases.CHALLENGER))) {
      current.remove(Aliases.CHALLENGER);
      log(
          model,
          new AuditEntry(
              Action.CLEAR_ALIAS,
              Aliases.CHALLENGER,
              null,
              change.version(),
              "v" + change.version() + " became champion: " + change.reason(),
              change.actor()));
    }
  }

  @Override
  public synchronized void setTrafficSplit(TrafficChange change) {
    trafficChanges.add(change);
    if (change == null) {
      throw invalid("Invalid traffic change: nothing given");
    }
    String model = change.model();
    requireModel(model);
    int percent = change.canaryPercent();
    Integer canary = change.canaryVersion();
    if (percent < 0 || percent > 100) {
      throw invalid("canaryPercent must be between 0 and 100 (got " + percent + ")");
    }
    if ((canary == null) != (percent == 0)) {
      throw invalid(
          "a canary version needs a share above 0 %, and 0 % means no canary version (got v"
              + canary
              + " at "
              + percent
              + " %)");
    }
    boolean shadow = canary != null && change.shadow();
    if (canary != null) {
      requireApproved(model, canary, (shadow ? "shadow" : "canary") + " traffic cannot go to");
    }
    TrafficSplit before = trafficSplit(model);
    TrafficSplit after = new TrafficSplit(canary, percent, shadow);
    if (before.equals(after)) {
      return;
    }
    traffic.put(model, after);
    boolean shadowed = canary == null ? before.shadow() : shadow;
    log(
        model,
        new AuditEntry(
            Action.SET_TRAFFIC,
            shadowed ? "shadow" : "canary",
            canary,
            before.canaryVersion(),
            (shadowed ? percent + " % of the requests shadowed: " : percent + " % to the canary: ")
                + change.reason(),
            change.actor()));
  }

  @Override
  public synchronized void reject(Rejection rejection) {
    rejections.add(rejection);
    if (rejection == null) {
      throw invalid("Invalid rejection: nothing given");
    }
    String model = rejection.model();
    requireModel(model);
    if (rejection.reason() == null || rejection.reason().isBlank()) {
      throw invalid("reason: required, say why the version is withdrawn");
    }
    int n = rejection.version();
    ModelVersion target =
        version(model, n).orElseThrow(() -> conflict("model " + model + " has no version " + n));
    if (target.rejection() != null || target.status() == VersionStatus.REJECTED) {
      return; // Withdrawn already (its first reason stands), or refused by the gate.
    }
    if (Objects.equals(aliasesOf(model).get(Aliases.CHAMPION), n)) {
      throw conflict(
          "model "
              + model
              + " version "
              + n
              + " is the champion: roll back to another version before withdrawing it");
    }
    Rejection stored =
        new Rejection(model, n, rejection.reason(), rejection.actor(), clock.get().toString());
    versionsOf(model).set(n - 1, target.rejected(stored));
    log(model, new AuditEntry(Action.REJECT, null, n, null, rejection.reason(), rejection.actor()));
  }

  // ---- Setting up ----

  /**
   * The code version the cache keys record from now on (default {@code fake-trainer 1; perennial
   * test}): a new one stands for a new trainer or Perennial build, so no version registered before
   * matches.
   */
  public synchronized FakeRegistry codeVersion(String version) {
    codeVersion = Objects.requireNonNull(version, "version");
    return this;
  }

  /**
   * Adds version {@code v} as if registered before the test. Versions must be seeded in order:
   * {@code v.version()} must be the model's next number.
   */
  public synchronized ModelVersion seed(ModelVersion v) {
    List<ModelVersion> list = versionsOf(v.model());
    if (v.version() != list.size() + 1) {
      throw new IllegalArgumentException(
          "model " + v.model() + " has " + list.size() + " versions: seed v" + (list.size() + 1));
    }
    list.add(v);
    return v;
  }

  /** Points {@code alias} of {@code model} at {@code version} as if set before the test. */
  public synchronized void seedAlias(String model, String alias, int version) {
    requireAlias(alias);
    version(model, version)
        .orElseThrow(() -> new IllegalArgumentException("seed v" + version + " first"));
    aliasesOf(model).put(alias, version);
  }

  /**
   * Registers the model's next version, approved with {@code metrics}, and makes it champion, as if
   * done before the test. {@link FakeTraining} scores this champion with these metrics unless told
   * otherwise.
   */
  public synchronized ModelVersion seedChampion(String model, ModelMetrics metrics) {
    ModelVersion v =
        seed(Records.modelVersion(model, versionsOf(model).size() + 1).metrics(metrics).build());
    aliasesOf(model).put(Aliases.CHAMPION, v.version());
    return v;
  }

  /** {@link #seedChampion(String, ModelMetrics)} with AUC 0.80 and log loss 0.45. */
  public ModelVersion seedChampion(String model) {
    return seedChampion(model, Records.metrics(0.80, 0.45));
  }

  // ---- Reading ----

  /** Every {@link #findCached} query, in order. */
  public synchronized List<CacheQuery> cacheQueries() {
    return List.copyOf(cacheQueries);
  }

  /** Every version of {@code model}, oldest first. */
  public synchronized List<ModelVersion> versions(String model) {
    return List.copyOf(versionsOf(model));
  }

  /** Version {@code n} of {@code model}, if registered. */
  public synchronized Optional<ModelVersion> version(String model, int n) {
    List<ModelVersion> list = versionsOf(model);
    return n >= 1 && n <= list.size() ? Optional.of(list.get(n - 1)) : Optional.empty();
  }

  /** The version {@code alias} of {@code model} names, or null. */
  public synchronized ModelVersion alias(String model, String alias) {
    Integer n = aliasesOf(model).get(alias);
    return n == null ? null : version(model, n).orElseThrow();
  }

  /** Alias to version number for {@code model}, sorted by alias. */
  public synchronized Map<String, Integer> aliases(String model) {
    return Map.copyOf(new TreeMap<>(aliasesOf(model)));
  }

  /** The model's traffic split; all to the champion when none was set. */
  public synchronized TrafficSplit trafficSplit(String model) {
    return traffic.getOrDefault(model, TrafficSplit.CHAMPION_ONLY);
  }

  /** The model's audit log, in order. */
  public synchronized List<AuditEntry> audit(String model) {
    return List.copyOf(audit.getOrDefault(model, List.of()));
  }

  /** Every registration request received, in order (retries included). */
  public synchronized List<RegistrationRequest> registrations() {
    return List.copyOf(registrations);
  }

  /** Every alias change received, in order (no-ops and refused ones included). */
  public synchronized List<AliasChange> aliasChanges() {
    return List.copyOf(aliasChanges);
  }

  /** Every traffic change received, in order (no-ops and refused ones included). */
  public synchronized List<TrafficChange> trafficChanges() {
    return List.copyOf(trafficChanges);
  }

  /** Every rejection received, in order. */
  public synchronized List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  /** The version whose model bundle is {@code model}, if any: how a fake scorer finds metrics. */
  synchronized Optional<ModelVersion> byArtifact(dev.perennial.workflows.ObjectRef model) {
    for (List<ModelVersion> list : versions.values()) {
      for (ModelVersion v : list) {
        if (v.artifacts() != null && model.equals(v.artifacts().model())) {
          return Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  private List<ModelVersion> versionsOf(String model) {
    return versions.computeIfAbsent(model, m -> new ArrayList<>());
  }

  private Map<String, Integer> aliasesOf(String model) {
    return aliases.computeIfAbsent(model, m -> new HashMap<>());
  }

  private void log(String model, AuditEntry entry) {
    audit.computeIfAbsent(model, m -> new ArrayList<>()).add(entry);
  }

  private void requireApproved(String model, int n, String refused) {
    ModelVersion target =
        version(model, n).orElseThrow(() -> conflict("model " + model + " has no version " + n));
    if (target.status() != VersionStatus.APPROVED) {
      throw conflict(
          refused + " model " + model + " version " + n + ": its status is " + target.status());
    }
  }

  private static void requireModel(String model) {
    List<String> problems = new RequestProblems().name("model", model).list();
    if (!problems.isEmpty()) {
      throw invalid(problems.get(0));
    }
  }

  private static void requireAlias(String alias) {
    String problem = Aliases.problem(alias);
    if (problem != null) {
      throw invalid(problem);
    }
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_REQUEST);
  }

  private static ApplicationFailure conflict(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.REGISTRY_CONFLICT);
  }
}
