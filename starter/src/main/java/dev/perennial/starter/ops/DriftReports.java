package dev.perennial.starter.ops;

import dev.perennial.core.Json;
import dev.perennial.core.store.MinioObjectStore;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.starter.ops.Monitors.Monitor;
import dev.perennial.workflows.drift.DriftCheck;
import dev.perennial.workflows.drift.DriftMonitorState;
import dev.perennial.workflows.drift.DriftReport;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The drift checks a model's monitor keeps (from Temporal) and the reports they wrote (in S3). */
public final class DriftReports {
  /** How long a signed http link to a report stays valid. */
  public static final Duration LINK_VALIDITY = Duration.ofHours(1);

  private DriftReports() {}

  /** What {@link #checks} found. */
  public sealed interface Reading permits NoMonitor, Unanswered, Checks {}

  /** No monitor of {@code model} ever ran. */
  public record NoMonitor(String model) implements Reading {}

  /** The latest monitor neither answered its status query nor left a result. */
  public record Unanswered(Monitor monitor) implements Reading {}

  /**
   * The checks the latest monitor keeps.
   *
   * @param monitor the monitor run
   * @param state what it measured and started
   * @param figures the latest check's JSON report, when asked for and readable; else null
   */
  public record Checks(Monitor monitor, DriftMonitorState state, DriftReport figures)
      implements Reading {

    /** The kept checks, oldest first; empty when none was made yet. */
    public List<DriftCheck> recent() {
      return state.recent() == null ? List.of() : state.recent();
    }

    /** The latest check, null when none was made yet. */
    public DriftCheck latest() {
      List<DriftCheck> recent = recent();
      return recent.isEmpty() ? null : recent.get(recent.size() - 1);
    }
  }

  /**
   * The checks of the model's latest monitor; with a {@code store}, the latest check's JSON report
   * read from it for its per-feature figures (null when it cannot be read: the printed summary then
   * points at the report instead).
   */
  public static Reading checks(WorkflowClient client, String model, ObjectStore store) {
    Optional<Monitor> found = Monitors.find(client, model);
    if (found.isEmpty()) {
      return new NoMonitor(model);
    }
    Monitor m = found.get();
    DriftMonitorState state = m.drift();
    if (state == null) {
      return new Unanswered(m);
    }
    Checks checks = new Checks(m, state, null);
    DriftCheck latest = checks.latest();
    if (store == null || latest == null) {
      return checks;
    }
    return new Checks(m, state, read(store, latest.data()));
  }

  /**
   * Signed http links for {@code s3://bucket/key} uris, so a browser opens a report in the private
   * artifact bucket; none without S3 credentials ({@code signer} null) or for other links.
   */
  public static UnaryOperator<String> links(MinioObjectStore signer) {
    return uri -> {
      S3Location at = S3Location.of(uri);
      return signer == null || at == null
          ? null
          : signer.presignedGet(at.bucket(), at.key(), LINK_VALIDITY);
    };
  }

  /** The report an {@code s3://} link names; null when it cannot be read. */
  private static DriftReport read(ObjectStore store, String uri) {
    S3Location at = S3Location.of(uri);
    if (at == null) {
      return null;
    }
    try {
      return store
          .read(at.bucket(), at.key())
          .map(v -> Json.read(v.bytes(), DriftReport.class))
          .orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Bucket and key of an {@code s3://bucket/key} link. */
  private record S3Location(String bucket, String key) {
    /** The link's bucket and key; null for anything else. */
    static S3Location of(String uri) {
      if (uri == null || !uri.startsWith("s3://")) {
        return null;
      }
      String path = uri.substring("s3://".length());
      int slash = path.indexOf('/');
      if (slash <= 0 || slash == path.length() - 1) {
        return null;
      }
      return new S3Location(path.substring(0, slash), path.substring(slash + 1));
    }
  }
}
