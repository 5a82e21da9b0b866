package dev.perennial.testkit;

import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.dataset.DatasetActivities;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.dataset.ValidationJob;
import dev.perennial.workflows.dataset.ValidationReport;
import io.temporal.failure.ApplicationFailure;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Datasets without data. {@link #snapshot} resolves the spec to daily partitions as the real
 * snapshot does (the {@code from}/{@code to} range, else the latest {@code lastDays} ending on
 * {@link Records#LAST_DAY}) and derives the dataset version from bucket, prefix and days, so the
 * same spec always gives the same version. {@link #validate} passes with 1,000 rows per partition
 * until told to fail.
 */
public class FakeDatasets implements DatasetActivities {
  /** Rows each fake partition holds. */
  public static final long ROWS_PER_DAY = 1_000;

  private final List<DatasetSpec> specs = new ArrayList<>();
  private final List<DatasetSnapshot> snapshots = new ArrayList<>();
  private final List<ValidationJob> validations = new ArrayList<>();
  private LocalDate lastDay = Records.LAST_DAY;
  private List<String> violations = List.of();
  private List<String> warnings = List.of();
  private String refusal;

  // ---- DatasetActivities ----

  @Override
  public synchronized DatasetSnapshot snapshot(DatasetSpec spec) {
    specs.add(spec);
    if (refusal != null) {
      throw ApplicationFailure.newNonRetryableFailure(refusal, FailureTypes.INVALID_DATASET);
    }
    DatasetSpec s = spec == null ? new DatasetSpec(null, null, null, null, null, null) : spec;
    String bucket = s.bucket() == null ? DatasetSpec.DEFAULT_BUCKET : s.bucket();
    String prefix = s.prefix() == null ? "" : s.prefix();
    int days = s.lastDays() == null ? DatasetSpec.DEFAULT_LAST_DAYS : s.lastDays();
    LocalDate last = s.to() != null ? LocalDate.parse(s.to()) : lastDay;
    LocalDate first = last.minusDays(days - 1L);
    if (s.from() != null) {
      first = LocalDate.parse(s.from());
      if (s.to() == null) {
        last = first.plusDays(days - 1L);
      }
    }
    DatasetSnapshot snapshot =
        Records.snapshot().at(bucket, prefix).days(first.toString(), last.toString()).build();
    if (s.schemaKey() != null) {
      snapshot =
          new DatasetSnapshot(
              snapshot.datasetVersion(),
              snapshot.manifest(),
              Records.ref(bucket, s.schemaKey()),
              snapshot.firstDay(),
              snapshot.lastDay(),
              snapshot.partitions(),
              snapshot.objects(),
              snapshot.bytes());
    }
    snapshots.add(snapshot);
    return snapshot;
  }

  @Override
  public synchronized ValidationReport validate(ValidationJob job) {
    validations.add(job);
    DatasetSnapshot s = job.snapshot();
    long rows = s == null ? 0 : s.partitions() * ROWS_PER_DAY;
    String key = "runs/" + job.model() + "/" + job.runId() + "/validation.json";
    return new ValidationReport(violations.isEmpty(), rows, violations, warnings, Records.ref(key));
  }

  // ---- Setting up ----

  /** Snapshots without a {@code to} date end on {@code day} (default {@link Records#LAST_DAY}). */
  public synchronized FakeDatasets latestDay(LocalDate day) {
    lastDay = day;
    return this;
  }

  /** Every validation from now on fails with these violations (none: passes again). */
  public synchronized FakeDatasets failValidation(String... violations) {
    this.violations = List.of(violations);
    return this;
  }

  /** Every validation from now on reports these warnings (and still passes). */
  public synchronized FakeDatasets warn(String... warnings) {
    this.warnings = List.of(warnings);
    return this;
  }

  /**
   * Every snapshot from now on is refused with a non-retryable {@link FailureTypes#INVALID_DATASET}
   * saying {@code why}, as when nothing matches the spec; null accepts again.
   */
  public synchronized FakeDatasets refuseSnapshots(String why) {
    refusal = why;
    return this;
  }

  // ---- Reading ----

  /** The specs snapshots were asked for, in order. */
  public synchronized List<DatasetSpec> specs() {
    return List.copyOf(specs);
  }

  /** The snapshots handed out, in order. */
  public synchronized List<DatasetSnapshot> snapshots() {
    return List.copyOf(snapshots);
  }

  /** The validation jobs received, in order. */
  public synchronized List<ValidationJob> validations() {
    return List.copyOf(validations);
  }
}
