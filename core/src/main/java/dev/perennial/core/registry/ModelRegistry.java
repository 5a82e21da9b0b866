package dev.perennial.core.registry;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.perennial.core.Json;
import dev.perennial.core.registry.AuditEntry.Action;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.core.store.ObjectStore.Versioned;
import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.registry.AliasChange;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.RegistrationRequest;
import dev.perennial.workflows.registry.Rejection;
import dev.perennial.workflows.registry.VersionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model registry, kept as plain objects in one S3 bucket so that it needs no database and
 * survives anything the bucket survives.
 *
 * <p>Layout per model, under {@code models/<model>/}:
 *
 * <ul>
 *   <li>{@code versions/000001/manifest.json}: the {@link ModelVersion}, plus the idempotency key
 *       that created it. Written once with {@code If-None-Match: *}, which is what hands out
 *       version numbers: two writers can never get the same number.
 *   <li>{@code requests/<sha256(idempotencyKey)>.json}: the version number a registration request
 *       claimed, so a retried request finds its version instead of making another.
 *   <li>{@code versions/000001/rejection.json}: present once an approved version was withdrawn (its
 *       canary breached, say), with the reason. Written once with {@code If-None-Match: *}; the
 *       manifest itself never changes.
 *   <li>{@code aliases.json}: alias to version, a revision number and the last change; updated by
 *       compare-and-swap on its ETag.
 *   <li>{@code traffic.json}: the champion/canary (or shadow) split the model servers route by,
 *       updated like {@code aliases.json}.
 *   <li>{@code audit/<time>-<unique>.json}: one entry per registration, rejection or effective
 *       alias or traffic change.
 * </ul>
 *
 * <p>Every write is idempotent, so a caller that crashed anywhere can call again with the same
 * input and end in the same state, and concurrent callers need no lock beyond S3's conditional
 * writes. Read methods are for workers and the command line alike.
 */
public final class ModelRegistry {

  /** Bound on compare-and-swap rounds; only reached under absurd contention. */
  private static final int MAX_ROUNDS = 1000;

  private static final String JSON = "application/json";

  /** Manifest field beyond the {@link ModelVersion} record: the request that created it. */
  private static final String IDEMPOTENCY_FIELD = "idempotencyKey";

  private static final Pattern MANIFEST_KEY = Pattern.compile(".*/versions/(\\d+)/manifest\\.json");
  private static final DateTimeFormatter AUDIT_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final ObjectStore store;
  private final String bucket;
  private final Clock clock;
  private final ArtifactCheck artifacts;

  /**
   * @param store where the registry lives
   * @param bucket the bucket, e.g. {@code perennial-artifacts}; must exist
   * @param clock source of registration and audit times
   * @param artifacts what a version must pass before an alias or canary traffic may name it,
   *     usually {@link ArtifactCheck#loadable}
   */
  public ModelRegistry(ObjectStore store, String bucket, Clock clock, ArtifactCheck artifacts) {
    this.store = Objects.requireNonNull(store, "store");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
  }

  /**
   * Registers a new version, or returns the version an earlier call with the same idempotency key
   * registered. Status is {@link VersionStatus#APPROVED} when the gate passed, else {@link
   * VersionStatus#REJECTED}. Numbers are 1, 2, 3, ... per model without gaps, also when pipelines
   * of one model register at once.
   *
   * @throws IllegalArgumentException when the request is malformed
   */
  public ModelVersion register(RegistrationRequest request) {
    validate(request);
    String model = request.model();
    String key = request.idempotencyKey();
    String claimKey = modelPrefix(model) + "requests/" + sha256(key) + ".json";
    // The claim names the number this request tries to take. It only moves on when another
    // request's manifest holds that number, so this request's manifest can only ever be written
    // at the number the claim currently names: one version per key, whoever retries.
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Optional<Versioned> claim = store.read(bucket, claimKey);
      if (claim.isEmpty()) {
        store.putIfAbsent(
            bucket, claimKey, Json.write(new RequestClaim(key, nextVersion(model))), JSON);
        continue;
      }
      int number = Json.read(claim.get().bytes(), RequestClaim.class).version();
      ModelVersion candidate = newVersion(request, number);
      if (store.putIfAbsent(bucket, manifestKey(model, number), manifest(candidate, key), JSON)) {
        recordRegistration(candidate);
        return candidate;
      }
      Optional<StoredManifest> holder = readManifest(model, number);
      if (holder.isPresent() && key.equals(holder.get().idempotencyKey())) {
        // Registered before (a retry, or our own write whose answer got lost): same version.
        recordRegistration(holder.get().version());
        return holder.get().version();
      }
      if (holder.isPresent()) {
        store.replaceIf(
            bucket,
            claimKey,
            Json.write(new RequestClaim(key, nextVersion(model))),
            JSON,
            claim.get().etag());
      }
    }
    throw new IllegalStateException(
        "no version number for model " + model + " after " + MAX_ROUNDS + " attempts");
  }

  /**
   * Points {@code change.alias()} at {@code change.version()}, or removes it when the version is
   * null, with an audit entry. Repeating a change that is already in place does nothing.
   *
   * <p>A version that becomes champion stops being challenger: when {@code challenger} points at
   * it, that alias is cleared too, audited as a change of its own by the same actor. The clearing
   * is checked also when the champion already pointed there, so a caller that crashed between the
   * two changes completes both on its retry.
   *
   * @return true when the alias changed, false when it already pointed there
   * @throws IllegalArgumentException for a bad model or alias name
   * @throws RegistryConflictException for an unknown or rejected version
   * @throws IntegrityException when the version's artifacts fail the registry's {@link
   *     ArtifactCheck}: the alias stays where it was
   */
  public boolean setAlias(AliasChange change) {
    boolean changed = moveAlias(change);
    if (Aliases.CHAMPION.equals(change.alias())
        && change.version() != null
        && change.version().equals(aliases(change.model()).get(Aliases.CHALLENGER))) {
      moveAlias(
          new AliasChange(
              change.model(),
              Aliases.CHALLENGER,
              null,
              "v" + change.version() + " became champion",
              change.actor()));
    }
    return changed;
  }

  private boolean moveAlias(AliasChange change) {
    if (change == null) {
      throw new IllegalArgumentException("Invalid alias change: nothing given");
    }
    String model = change.model();
    requireModelName(model);
    requireAliasName(change.alias());
    if (change.version() != null) {
      requireServable(model, change.version(), "alias " + change.alias() + " cannot point at");
    }
    String aliasesKey = modelPrefix(model) + "aliases.json";
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Optional<Versioned> current = store.read(bucket, aliasesKey);
      AliasesDocument document =
          current
              .map(v -> Json.read(v.bytes(), AliasesDocument.class))
              .orElse(AliasesDocument.EMPTY);
      // The writer before us may have crashed between its swap and its audit entry.
      recordAliasChange(model, document);
      Integer previous = document.aliases().get(change.alias());
      if (Objects.equals(previous, change.version())) {
        return false;
      }
      AuditEntry entry =
          new AuditEntry(
              change.version() == null ? Action.CLEAR_ALIAS : Action.SET_ALIAS,
              model,
              change.alias(),
              change.version(),
              previous,
              change.reason(),
              change.actor(),
              Instant.now(clock).toString());
      AliasesDocument next = document.with(change.alias(), change.version(), entry);
      String etag = current.map(Versioned::etag).orElse(null);
      if (store.replaceIf(bucket, aliasesKey, Json.write(next), JSON, etag)) {
        recordAliasChange(model, next);
        return true;
      }
    }
    throw new IllegalStateException(
        "alias " + change.alias() + " of model " + model + " still contended after retries");
  }

  /**
   * Withdraws an approved version for good, with an audit entry: it may take no alias and no
   * traffic again. A version already withdrawn keeps its first reason (no second entry); one the
   * gate refused is left as it is.
   *
   * @return true when this call withdrew it
   * @throws IllegalArgumentException for a bad model name or a missing reason
   * @throws RegistryConflictException for an unknown version or the current champion
   */
  public boolean reject(String model, int number, String reason, String actor) {
    requireModelName(model);
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason: required, say why the version is withdrawn");
    }
    ModelVersion target =
        version(model, number)
            .orElseThrow(
                () ->
                    new RegistryConflictException("model " + model + " has no version " + number));
    if (target.rejection() != null) {
      recordRejection(target.rejection());
      return false;
    }
    if (target.status() == VersionStatus.REJECTED) {
      return false;
    }
    if (Objects.equals(aliases(model).get(Aliases.CHAMPION), number)) {
      throw new RegistryConflictException(
          "model "
              + model
              + " version "
              + number
              + " is the champion: roll back to another version before withdrawing it");
    }
    Rejection rejection =
        new Rejection(model, number, reason, actor, Instant.now(clock).toString());
    boolean written =
        store.putIfAbsent(bucket, rejectionKey(model, number), Json.write(rejection), JSON);
    // Lost the race to another withdrawal, or our own earlier write whose answer got lost: the
    // stored reason stands either way.
    Rejection stored = written ? rejection : readRejection(model, number).orElse(rejection);
    recordRejection(stored);
    return written;
  }

  /** The model's traffic split; all to the champion when none was ever set. */
  public TrafficSplit trafficSplit(String model) {
    requireModelName(model);
    return store
        .read(bucket, modelPrefix(model) + "traffic.json")
        .map(v -> Json.read(v.bytes(), TrafficSplit.class))
        .orElse(TrafficSplit.CHAMPION_ONLY);
  }

  /**
   * Sends {@code canaryPercent} % of the model's traffic to {@code canaryVersion} (audited), ending
   * any shadow. Repeating the same split is a no-op; {@code canaryVersion} null with 0 % ends the
   * canary.
   *
   * @return true when the split changed
   * @throws IllegalArgumentException for a bad model name or percentage
   * @throws RegistryConflictException for an unknown or rejected canary version
   * @throws IntegrityException when the canary version's artifacts fail the registry's {@link
   *     ArtifactCheck}: the split stays as it was
   */
  public boolean setTrafficSplit(
      String model, Integer canaryVersion, int canaryPercent, String reason, String actor) {
    return setTrafficSplit(model, canaryVersion, canaryPercent, false, reason, actor);
  }

  /**
   * Routes the model's traffic beside its champion (audited): with {@code shadow} false, {@code
   * percent} % of the requests go to {@code version} as a canary; with {@code shadow} true the
   * champion answers every request and {@code percent} % of them are also scored by {@code
   * version}, answering nobody. Either ends the other. Repeating the same split is a no-op; {@code
   * version} null with 0 % sends everything to the champion alone.
   *
   * @return true when the split changed
   * @throws IllegalArgumentException for a bad model name or percentage
   * @throws RegistryConflictException for an unknown or rejected version
   * @throws IntegrityException when the version's artifacts fail the registry's {@link
   *     ArtifactCheck}: the split stays as it was
   */
  public boolean setTrafficSplit(
      String model, Integer version, int percent, boolean shadow, String reason, String actor) {
    requireModelName(model);
    String role = shadow ? "shadow" : "canary";
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException(
          role + "Percent must be between 0 and 100 (got " + percent + ")");
    }
    if ((version == null) != (percent == 0)) {
      throw new IllegalArgumentException(
          "a "
              + role
              + " version needs a share above 0 %, and 0 % means no "
              + role
              + " version (got v"
              + version
              + " at "
              + percent
              + " %)");
    }
    if (version != null) {
      requireServable(model, version, role + " traffic cannot go to");
    }
    String key = modelPrefix(model) + "traffic.json";
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Optional<Versioned> current = store.read(bucket, key);
      TrafficSplit split =
          current
              .map(v -> Json.read(v.bytes(), TrafficSplit.class))
              .orElse(TrafficSplit.CHAMPION_ONLY);
      recordTrafficChange(model, split);
      if (split.sameRouting(version, percent, shadow && version != null)) {
        return false;
      }
      // Ending a shadow is the shadow's change, whichever way it was asked for.
      boolean shadowed = version == null ? split.shadowVersion() != null : shadow;
      AuditEntry entry =
          new AuditEntry(
              Action.SET_TRAFFIC,
              model,
              shadowed ? "shadow" : "canary",
              version,
              split.candidate(),
              (shadowed
                      ? percent + " % of the requests shadowed: "
                      : percent + " % to the canary: ")
                  + reason,
              actor,
              Instant.now(clock).toString());
      TrafficSplit next =
          shadow
              ? new TrafficSplit(null, 0, split.revision() + 1, entry, version, percent)
              : new TrafficSplit(version, percent, split.revision() + 1, entry);
      if (store.replaceIf(
          bucket, key, Json.write(next), JSON, current.map(Versioned::etag).orElse(null))) {
        recordTrafficChange(model, next);
        return true;
      }
    }
    throw new IllegalStateException(
        "traffic split of model " + model + " still contended after retries");
  }

  /** The version {@code alias} points at, or null when it is unset. */
  public ModelVersion findAlias(String model, String alias) {
    requireAliasName(alias);
    Integer number = aliases(model).get(alias);
    if (number == null) {
      return null;
    }
    return version(model, number)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "alias " + alias + " of model " + model + " names missing version " + number));
  }

  /** Every version of {@code model}, oldest first; empty for an unknown model. */
  public List<ModelVersion> versions(String model) {
    requireModelName(model);
    List<ModelVersion> versions = new ArrayList<>();
    for (ObjectInfo object : store.list(bucket, modelPrefix(model) + "versions/")) {
      Matcher m = MANIFEST_KEY.matcher(object.key());
      if (m.matches()) {
        readManifest(model, Integer.parseInt(m.group(1)))
            .ifPresent(stored -> versions.add(stored.version()));
      }
    }
    versions.sort(Comparator.comparingInt(ModelVersion::version));
    return versions;
  }

  /**
   * The versions of {@code model} whose manifest records the cache key {@code key}, oldest first:
   * those the step cache finds for a run made from the same data, options and code.
   */
  public List<ModelVersion> versionsWithCacheKey(String model, String key) {
    Objects.requireNonNull(key, "key");
    return versions(model).stream()
        .filter(v -> v.cacheKey() != null && key.equals(v.cacheKey().key()))
        .toList();
  }

  /** One version of {@code model}, if registered. */
  public Optional<ModelVersion> version(String model, int version) {
    requireModelName(model);
    return readManifest(model, version).map(StoredManifest::version);
  }

  /** Alias to version for {@code model}, sorted by alias; empty when none is set. */
  public Map<String, Integer> aliases(String model) {
    requireModelName(model);
    return store
        .read(bucket, modelPrefix(model) + "aliases.json")
        .<Map<String, Integer>>map(
            v ->
                Collections.unmodifiableMap(
                    new TreeMap<>(Json.read(v.bytes(), AliasesDocument.class).aliases())))
        .orElse(Map.of());
  }

  /**
   * The audit log of {@code model} in time order (entries of the same millisecond in a fixed but
   * arbitrary order).
   */
  public List<AuditEntry> audit(String model) {
    requireModelName(model);
    List<AuditEntry> entries = new ArrayList<>();
    for (ObjectInfo object : store.list(bucket, modelPrefix(model) + "audit/")) {
      store
          .read(bucket, object.key())
          .ifPresent(v -> entries.add(Json.read(v.bytes(), AuditEntry.class)));
    }
    return entries;
  }

  private ModelVersion newVersion(RegistrationRequest request, int number) {
    return new ModelVersion(
        request.model(),
        number,
        request.gate().passed() ? VersionStatus.APPROVED : VersionStatus.REJECTED,
        request.dataset(),
        request.artifacts(),
        request.hyperparameters(),
        request.evaluation(),
        request.gate(),
        request.trigger(),
        request.workflowId(),
        request.runId(),
        Instant.now(clock).toString(),
        null,
        request.driftReport(),
        request.search(),
        request.cacheKey());
  }

  /** One past the highest registered number: numbers below it are taken, so none is skipped. */
  private int nextVersion(String model) {
    int highest = 0;
    for (ObjectInfo object : store.list(bucket, modelPrefix(model) + "versions/")) {
      Matcher m = MANIFEST_KEY.matcher(object.key());
      if (m.matches()) {
        highest = Math.max(highest, Integer.parseInt(m.group(1)));
      }
    }
    return highest + 1;
  }

  /**
   * Writes the register entry if it is not there yet. Its key derives from the manifest, so every
   * retry writes the same entry.
   */
  private void recordRegistration(ModelVersion version) {
    String reason =
        version.status() == VersionStatus.APPROVED
            ? "gate passed"
            : "gate failed: "
                + String.join(
                    "; ", Objects.requireNonNullElse(version.gate().reasons(), List.of()));
    AuditEntry entry =
        new AuditEntry(
            Action.REGISTER,
            version.model(),
            null,
            version.version(),
            null,
            reason,
            version.workflowId(),
            version.createdAt());
    String unique = "v%06d-register".formatted(version.version());
    store.putIfAbsent(bucket, auditKey(version.model(), entry, unique), Json.write(entry), JSON);
  }

  /** Writes the audit entry of the document's last change if it is not there yet. */
  private void recordAliasChange(String model, AliasesDocument document) {
    AuditEntry entry = document.lastChange();
    if (entry != null) {
      String unique = "r%09d-alias".formatted(document.revision());
      store.putIfAbsent(bucket, auditKey(model, entry, unique), Json.write(entry), JSON);
    }
  }

  /** Refuses unknown versions and versions that may not serve, saying which and why. */
  /**
   * An approved version whose artifacts pass {@link #artifacts}: the check runs before every move,
   * also one that changes nothing, so a version that can no longer load is never reported as what
   * is served.
   */
  private void requireServable(String model, int number, String refused) {
    ModelVersion target = requireApproved(model, number, refused);
    try {
      artifacts.check(target);
    } catch (IntegrityException e) {
      throw new IntegrityException(
          refused + " model " + model + " version " + number + ": " + e.getMessage(), e);
    }
  }

  private ModelVersion requireApproved(String model, int number, String refused) {
    ModelVersion target =
        version(model, number)
            .orElseThrow(
                () ->
                    new RegistryConflictException("model " + model + " has no version " + number));
    if (target.status() != VersionStatus.APPROVED) {
      throw new RegistryConflictException(
          refused
              + " model "
              + model
              + " version "
              + number
              + ": its status is "
              + target.status());
    }
    return target;
  }

  /** Writes the audit entry of a withdrawal if it is not there yet. */
  private void recordRejection(Rejection rejection) {
    AuditEntry entry =
        new AuditEntry(
            Action.REJECT,
            rejection.model(),
            null,
            rejection.version(),
            null,
            rejection.reason(),
            rejection.actor(),
            rejection.time());
    String unique = "v%06d-reject".formatted(rejection.version());
    store.putIfAbsent(bucket, auditKey(rejection.model(), entry, unique), Json.write(entry), JSON);
  }

  private Optional<Rejection> readRejection(String model, int number) {
    return store
        .read(bucket, rejectionKey(model, number))
        .map(v -> Json.read(v.bytes(), Rejection.class));
  }

  private void recordTrafficChange(String model, TrafficSplit split) {
    AuditEntry entry = split.lastChange();
    if (entry != null) {
      String unique = "r%09d-traffic".formatted(split.revision());
      store.putIfAbsent(bucket, auditKey(model, entry, unique), Json.write(entry), JSON);
    }
  }

  private Optional<StoredManifest> readManifest(String model, int number) {
    return store
        .read(bucket, manifestKey(model, number))
        .map(
            v -> {
              try {
                JsonNode node = Json.MAPPER.readTree(v.bytes());
                ModelVersion version = Json.MAPPER.treeToValue(node, ModelVersion.class);
                if (version.status() == VersionStatus.APPROVED) {
                  version = readRejection(model, number).map(version::rejected).orElse(version);
                }
                return new StoredManifest(version, node.path(IDEMPOTENCY_FIELD).asText(null));
              } catch (IOException e) {
                throw new UncheckedIOException(
                    "malformed manifest of model " + model + " version " + number, e);
              }
            });
  }

  private static byte[] manifest(ModelVersion version, String idempotencyKey) {
    ObjectNode node = Json.MAPPER.valueToTree(version);
    node.put(IDEMPOTENCY_FIELD, idempotencyKey);
    return Json.write(node);
  }

  private static String modelPrefix(String model) {
    return "models/" + model + "/";
  }

  private static String manifestKey(String model, int number) {
    return modelPrefix(model) + "versions/%06d/manifest.json".formatted(number);
  }

  private static String rejectionKey(String model, int number) {
    return modelPrefix(model) + "versions/%06d/rejection.json".formatted(number);
  }

  private static String auditKey(String model, AuditEntry entry, String unique) {
    String time = AUDIT_TIME.format(Instant.parse(entry.time()));
    return modelPrefix(model) + "audit/" + time + "-" + unique + ".json";
  }

  private static void validate(RegistrationRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("Invalid registration request: nothing given");
    }
    new RequestProblems()
        .name("model", request.model())
        .require(
            request.idempotencyKey() != null && !request.idempotencyKey().isBlank(),
            "idempotencyKey",
            "is required")
        .require(request.gate() != null, "gate", "is required: the status comes from it")
        .refuseIfAny("registration request");
  }

  private static void requireModelName(String model) {
    List<String> problems = new RequestProblems().name("model", model).list();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0));
    }
  }

  private static void requireAliasName(String alias) {
    String problem = Aliases.problem(alias);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** {@code requests/<sha256(key)>.json}: the number a registration request is taking. */
  record RequestClaim(String idempotencyKey, int version) {}

  /** A manifest as stored: the version and the key of the request that created it. */
  private record StoredManifest(ModelVersion version, String idempotencyKey) {}

  /**
   * {@code aliases.json}. {@code revision} counts effective changes and names the audit entry of
   * {@code lastChange}, which the next writer re-records in case its writer crashed before doing
   * so.
   */
  record AliasesDocument(long revision, Map<String, Integer> aliases, AuditEntry lastChange) {
    static final AliasesDocument EMPTY = new AliasesDocument(0, Map.of(), null);

    AliasesDocument {
      aliases = aliases == null ? Map.of() : aliases;
    }

    AliasesDocument with(String alias, Integer version, AuditEntry change) {
      Map<String, Integer> next = new TreeMap<>(aliases);
      if (version == null) {
        next.remove(alias);
      } else {
        next.put(alias, version);
      }
      return new AliasesDocument(revision + 1, next, change);
    }
  }
}
