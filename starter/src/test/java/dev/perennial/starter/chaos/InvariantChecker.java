package dev.perennial.starter.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.perennial.core.Json;
import dev.perennial.core.logs.ServingLogs;
import dev.perennial.core.registry.ArtifactCheck;
import dev.perennial.core.registry.AuditEntry;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.registry.TrafficSplit;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.core.store.Sha256;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.registry.VersionStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * What must hold in the registry and the serving logs after any crash, outage or race: the crash
 * campaign runs it after every scenario, and each invariant has a test that breaks a registry by
 * hand and sees it named.
 *
 * <ul>
 *   <li>{@link Invariant#CONTIGUOUS_VERSIONS}: versions are 1..n, none missing;
 *   <li>{@link Invariant#ONE_VERSION_PER_RUN}: no run registered twice, every run that says it
 *       registered vN is named by vN's manifest, and no version comes from a run nobody started;
 *   <li>{@link Invariant#OBJECTS_PRESENT}: every object a manifest references is there with the
 *       SHA-256 and size recorded;
 *   <li>{@link Invariant#ALIASES_ON_APPROVED}: every alias names an approved, not withdrawn,
 *       version;
 *   <li>{@link Invariant#TRAFFIC_ON_CHAMPION}: no canary share is left once every run ended;
 *   <li>{@link Invariant#AUDIT_WITHOUT_DUPLICATES}: no change is audited twice, each registration
 *       and withdrawal exactly once;
 *   <li>{@link Invariant#LOGS_MATCH_ANSWERS}: prediction rows in S3 per version equal the answers
 *       the users got from that version, feedback rows equal the labels the server took, and no
 *       request or label is there twice.
 * </ul>
 */
final class InvariantChecker {

  /** The invariants, named in every violation. */
  enum Invariant {
    CONTIGUOUS_VERSIONS,
    ONE_VERSION_PER_RUN,
    OBJECTS_PRESENT,
    ALIASES_ON_APPROVED,
    TRAFFIC_ON_CHAMPION,
    AUDIT_WITHOUT_DUPLICATES,
    LOGS_MATCH_ANSWERS
  }

  /** One broken invariant, in words a person can follow up. */
  record Violation(Invariant invariant, String model, String detail) {
    @Override
    public String toString() {
      return invariant + " (" + model + "): " + detail;
    }
  }

  /**
   * A pipeline run the campaign started.
   *
   * @param version the version its result names, null when it registered none
   */
  record Run(String workflowId, String runId, Integer version) {}

  /**
   * What the users were answered, as the traffic generator counted it.
   *
   * @param predictionsByVersion answered predictions per serving version
   * @param labels feedback posts the server accepted
   */
  record Answers(Map<Integer, Long> predictionsByVersion, long labels) {}

  private final ObjectStore store;
  private final String bucket;
  private final ModelRegistry registry;

  InvariantChecker(ObjectStore store, String artifactBucket) {
    this.store = store;
    this.bucket = artifactBucket;
    // Reads only: the artifact check guards writes, which the checker never makes.
    ArtifactCheck none = v -> {};
    this.registry = new ModelRegistry(store, artifactBucket, Clock.systemUTC(), none);
  }

  /** Every registry invariant of {@code model}, given the runs started on it. */
  List<Violation> registry(String model, List<Run> runs) {
    List<Violation> found = new ArrayList<>();
    List<ModelVersion> versions = registry.versions(model);
    contiguous(model, versions, found);
    onePerRun(model, versions, runs, found);
    for (ModelVersion v : versions) {
      objectsPresent(model, v, found);
    }
    aliasesOnApproved(model, versions, found);
    TrafficSplit split = registry.trafficSplit(model);
    if (split.canaryVersion() != null || split.canaryPercent() != 0) {
      found.add(
          new Violation(
              Invariant.TRAFFIC_ON_CHAMPION,
              model,
              split.canaryPercent() + " % still goes to canary v" + split.canaryVersion()));
    }
    auditWithoutDuplicates(model, versions, found);
    return found;
  }

  /** {@link Invariant#LOGS_MATCH_ANSWERS} for {@code model}. */
  List<Violation> logs(String model, Answers answers) {
    List<Violation> found = new ArrayList<>();
    Map<Integer, Long> predictions = new TreeMap<>();
    Set<String> requests = new HashSet<>();
    List<String> twice = new ArrayList<>();
    for (JsonNode line : lines(ServingLogs.PREDICTIONS, model)) {
      if (line.hasNonNull("error")) {
        continue; // a failed request: not an answer
      }
      predictions.merge(line.path("version").asInt(), 1L, Long::sum);
      String id = line.path("requestId").asText() + "#" + line.path("row").asInt();
      if (!requests.add(id) && twice.size() < 5) {
        twice.add(id);
      }
    }
    Map<Integer, Long> answered = new TreeMap<>(answers.predictionsByVersion());
    if (!predictions.equals(answered)) {
      found.add(
          new Violation(
              Invariant.LOGS_MATCH_ANSWERS,
              model,
              "prediction rows in S3 per version " + predictions + ", answered " + answered));
    }
    if (!twice.isEmpty()) {
      found.add(
          new Violation(Invariant.LOGS_MATCH_ANSWERS, model, "predictions logged twice: " + twice));
    }
    long labels = 0;
    Set<String> labelled = new HashSet<>();
    List<String> labelledTwice = new ArrayList<>();
    for (JsonNode line : lines(ServingLogs.FEEDBACK, model)) {
      labels++;
      String id = line.path("requestId").asText() + "#" + line.path("row").asInt();
      if (!labelled.add(id) && labelledTwice.size() < 5) {
        labelledTwice.add(id);
      }
    }
    if (labels != answers.labels()) {
      found.add(
          new Violation(
              Invariant.LOGS_MATCH_ANSWERS,
              model,
              "feedback rows in S3 " + labels + ", labels accepted " + answers.labels()));
    }
    if (!labelledTwice.isEmpty()) {
      found.add(
          new Violation(
              Invariant.LOGS_MATCH_ANSWERS, model, "labels logged twice: " + labelledTwice));
    }
    return found;
  }

  /** Fails with every violation listed, or returns quietly when there is none. */
  static void assertNone(List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw new AssertionError(
          violations.size()
              + " invariant(s) broken:\n  "
              + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  ")));
    }
  }

  private static void contiguous(String model, List<ModelVersion> versions, List<Violation> found) {
    List<Integer> numbers = versions.stream().map(ModelVersion::version).toList();
    List<Integer> expected = IntStream.rangeClosed(1, numbers.size()).boxed().toList();
    if (!numbers.equals(expected)) {
      found.add(
          new Violation(
              Invariant.CONTIGUOUS_VERSIONS,
              model,
              "versions " + numbers + ", not 1.." + numbers.size()));
    }
  }

  private static void onePerRun(
      String model, List<ModelVersion> versions, List<Run> runs, List<Violation> found) {
    Map<String, List<Integer>> byRun = new LinkedHashMap<>();
    for (ModelVersion v : versions) {
      byRun
          .computeIfAbsent(v.workflowId() + "/" + v.runId(), k -> new ArrayList<>())
          .add(v.version());
    }
    byRun.forEach(
        (run, numbers) -> {
          if (numbers.size() > 1) {
            found.add(
                new Violation(
                    Invariant.ONE_VERSION_PER_RUN, model, "run " + run + " registered " + numbers));
          }
        });
    Map<Integer, ModelVersion> byNumber = new HashMap<>();
    versions.forEach(v -> byNumber.put(v.version(), v));
    Set<String> started = new HashSet<>();
    for (Run run : runs) {
      String id = run.workflowId() + "/" + run.runId();
      started.add(id);
      if (run.version() == null) {
        if (byRun.containsKey(id)) {
          found.add(
              new Violation(
                  Invariant.ONE_VERSION_PER_RUN,
                  model,
                  "run " + id + " says it registered nothing, yet made " + byRun.get(id)));
        }
        continue;
      }
      ModelVersion v = byNumber.get(run.version());
      if (v == null || !id.equals(v.workflowId() + "/" + v.runId())) {
        found.add(
            new Violation(
                Invariant.ONE_VERSION_PER_RUN,
                model,
                "run "
                    + id
                    + " says it registered v"
                    + run.version()
                    + ", whose manifest names "
                    + (v == null
                        ? "nothing (no such version)"
                        : v.workflowId() + "/" + v.runId())));
      }
    }
    byRun.forEach(
        (run, numbers) -> {
          if (!started.contains(run)) {
            found.add(
                new Violation(
                    Invariant.ONE_VERSION_PER_RUN,
                    model,
                    "versions " + numbers + " come from run " + run + ", which was never started"));
          }
        });
  }

  private void objectsPresent(String model, ModelVersion v, List<Violation> found) {
    Map<String, ObjectRef> refs = new LinkedHashMap<>();
    if (v.dataset() != null) {
      refs.put("dataset manifest", v.dataset().manifest());
      refs.put("dataset schema", v.dataset().schema());
    }
    if (v.artifacts() != null) {
      refs.put("model bundle", v.artifacts().model());
      refs.put("hyperparameters", v.artifacts().hyperparameters());
      refs.put("feature schema", v.artifacts().featureSchema());
      refs.put("reference profile", v.artifacts().referenceProfile());
    } else {
      found.add(
          new Violation(Invariant.OBJECTS_PRESENT, model, "v" + v.version() + " has no artifacts"));
    }
    if (v.evaluation() != null) {
      refs.put("evaluation report", v.evaluation().report());
      refs.put("evaluation page", v.evaluation().html());
    }
    refs.put("drift report", v.driftReport());
    refs.forEach(
        (what, ref) -> {
          if (ref == null) {
            return; // optional references (a drift report, a page) may be absent
          }
          String problem = problem(ref);
          if (problem != null) {
            found.add(
                new Violation(
                    Invariant.OBJECTS_PRESENT,
                    model,
                    "v" + v.version() + " " + what + " " + ref.uri() + ": " + problem));
          }
        });
  }

  /** Why {@code ref} does not match what is stored, or null when it does. */
  private String problem(ObjectRef ref) {
    if (ref.sha256() == null) {
      return "no SHA-256 recorded";
    }
    MessageDigest digest = Sha256.newDigest();
    long size = 0;
    try (InputStream in = store.open(ref.bucket(), ref.key())) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
        size += n;
      }
    } catch (ObjectStore.NoSuchObjectException e) {
      return "missing";
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + ref.uri(), e);
    }
    String sha = Sha256.hex(digest);
    if (!sha.equals(ref.sha256())) {
      return "SHA-256 " + sha + ", recorded " + ref.sha256();
    }
    if (ref.size() != size) {
      return size + " bytes, recorded " + ref.size();
    }
    return null;
  }

  private void aliasesOnApproved(String model, List<ModelVersion> versions, List<Violation> found) {
    Map<Integer, ModelVersion> byNumber = new HashMap<>();
    versions.forEach(v -> byNumber.put(v.version(), v));
    registry
        .aliases(model)
        .forEach(
            (alias, number) -> {
              ModelVersion v = byNumber.get(number);
              String problem =
                  v == null
                      ? "no such version"
                      : v.status() != VersionStatus.APPROVED
                          ? "its status is " + v.status()
                          : v.rejection() != null ? "it was withdrawn" : null;
              if (problem != null) {
                found.add(
                    new Violation(
                        Invariant.ALIASES_ON_APPROVED,
                        model,
                        "alias " + alias + " names v" + number + ": " + problem));
              }
            });
  }

  private void auditWithoutDuplicates(
      String model, List<ModelVersion> versions, List<Violation> found) {
    List<AuditEntry> audit = registry.audit(model);
    Map<List<Object>, Integer> seen = new LinkedHashMap<>();
    for (AuditEntry e : audit) {
      // The same change twice, whenever it was written: everything but the time.
      List<Object> change =
          Arrays.asList(
              e.action(), e.alias(), e.version(), e.previousVersion(), e.reason(), e.actor());
      seen.merge(change, 1, Integer::sum);
    }
    seen.forEach(
        (change, n) -> {
          if (n > 1) {
            found.add(
                new Violation(
                    Invariant.AUDIT_WITHOUT_DUPLICATES, model, n + " entries for " + change));
          }
        });
    for (ModelVersion v : versions) {
      count(model, audit, AuditEntry.Action.REGISTER, v.version(), 1, found);
      count(
          model,
          audit,
          AuditEntry.Action.REJECT,
          v.version(),
          v.rejection() != null ? 1 : 0,
          found);
    }
  }

  private static void count(
      String model,
      List<AuditEntry> audit,
      AuditEntry.Action action,
      int version,
      int expected,
      List<Violation> found) {
    long n =
        audit.stream()
            .filter(e -> e.action() == action && Objects.equals(e.version(), version))
            .count();
    if (n != expected) {
      found.add(
          new Violation(
              Invariant.AUDIT_WITHOUT_DUPLICATES,
              model,
              n + " " + action + " entries for v" + version + ", expected " + expected));
    }
  }

  /** Every line of every log object of {@code kind} for {@code model}, any day. */
  private List<JsonNode> lines(String kind, String model) {
    List<JsonNode> lines = new ArrayList<>();
    for (ObjectInfo object : store.list(bucket, kind + "/" + model + "/")) {
      if (!object.key().endsWith(".jsonl.gz")) {
        continue;
      }
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(store.open(bucket, object.key())), StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          if (!line.isBlank()) {
            lines.add(Json.MAPPER.readTree(line));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading s3://" + bucket + "/" + object.key(), e);
      }
    }
    return lines;
  }
}
