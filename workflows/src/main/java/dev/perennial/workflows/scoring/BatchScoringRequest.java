package dev.perennial.workflows.scoring;

import dev.perennial.workflows.RequestProblems;
import dev.perennial.workflows.Trigger;
import dev.perennial.workflows.dataset.DatasetSpec;
import java.util.List;

/**
 * Input of the {@code BatchScoring} workflow: score rows in S3 with one registered version of a
 * model and write the probabilities next to them.
 *
 * <p>The rows are read with the <em>model's</em> feature schema (the one recorded with the
 * version), so they need no label column and no {@code _schema.json} of their own. {@code dataset}
 * picks them as training does: the {@code dt=YYYY-MM-DD} partitions under its prefix from {@code
 * from} to {@code to}, else the latest {@code lastDays} (default 1 here); a prefix with no {@code
 * dt=} partitions is read whole (every {@code .csv} / {@code .csv.gz} under it).
 *
 * <p>Only {@code model} is required: {@code {"model":"credit-default"}} scores the latest day with
 * the champion.
 *
 * @param model model name
 * @param trigger why the run started (a schedule sets {@code SCHEDULE}); default {@code MANUAL}
 * @param dataset which rows; default the model's data prefix, latest day
 * @param version the registered version to score with; null for the champion
 * @param chunkRows rows per chunk, 1000 or more; null for one chunk per input object
 * @param parallelism chunks scored at once, 1 to 64 (default 4)
 * @param keepColumns input columns copied into each output row beside the probability (an id
 *     column, say); default none
 */
public record BatchScoringRequest(
    String model,
    Trigger trigger,
    DatasetSpec dataset,
    Integer version,
    Integer chunkRows,
    Integer parallelism,
    List<String> keepColumns) {

  public static final int DEFAULT_PARALLELISM = 4;
  public static final int DEFAULT_LAST_DAYS = 1;
  public static final int MIN_CHUNK_ROWS = 1000;

  /** Score the latest day of {@code model}'s data with its champion. */
  public static BatchScoringRequest of(String model) {
    return new BatchScoringRequest(model, null, null, null, null, null, null);
  }

  /** The same request scoring the partitions {@code from} to {@code to} (inclusive). */
  public BatchScoringRequest withDays(String from, String to) {
    DatasetSpec d = dataset == null ? new DatasetSpec(null, null, null, null, null, null) : dataset;
    return withDataset(new DatasetSpec(d.bucket(), d.prefix(), from, to, d.lastDays(), null));
  }

  public BatchScoringRequest withDataset(DatasetSpec spec) {
    return new BatchScoringRequest(
        model, trigger, spec, version, chunkRows, parallelism, keepColumns);
  }

  public BatchScoringRequest withVersion(Integer number) {
    return new BatchScoringRequest(
        model, trigger, dataset, number, chunkRows, parallelism, keepColumns);
  }

  public BatchScoringRequest withChunkRows(Integer rows) {
    return new BatchScoringRequest(
        model, trigger, dataset, version, rows, parallelism, keepColumns);
  }

  public BatchScoringRequest withParallelism(Integer chunks) {
    return new BatchScoringRequest(
        model, trigger, dataset, version, chunkRows, chunks, keepColumns);
  }

  public BatchScoringRequest withKeepColumns(List<String> columns) {
    return new BatchScoringRequest(
        model, trigger, dataset, version, chunkRows, parallelism, columns);
  }

  /** Every problem, each naming its field. */
  public List<String> problems() {
    RequestProblems p = new RequestProblems().name("model", model);
    if (dataset != null) {
      p.addAll(dataset.problems("dataset"));
    }
    p.require(
        version == null || version >= 1,
        "version",
        "must be 1 or more, or left out for" + " the champion (got " + version + ")");
    p.range("chunkRows", chunkRows, MIN_CHUNK_ROWS, 100_000_000);
    p.range("parallelism", parallelism, 1, 64);
    if (keepColumns != null) {
      for (String c : keepColumns) {
        p.require(c != null && !c.isBlank(), "keepColumns", "must not hold a blank name");
      }
      p.require(
          keepColumns.stream().distinct().count() == keepColumns.size(),
          "keepColumns",
          "must not name a column twice");
    }
    return p.list();
  }

  /** The request with every default filled in. */
  public BatchScoringRequest withDefaults() {
    DatasetSpec d = dataset == null ? new DatasetSpec(null, null, null, null, null, null) : dataset;
    DatasetSpec spec =
        new DatasetSpec(
                d.bucket(),
                d.prefix(),
                d.from(),
                d.to(),
                d.lastDays() == null ? DEFAULT_LAST_DAYS : d.lastDays(),
                d.schemaKey())
            .withDefaults(model);
    return new BatchScoringRequest(
        model,
        trigger == null ? Trigger.MANUAL : trigger,
        spec,
        version,
        chunkRows,
        parallelism == null ? DEFAULT_PARALLELISM : parallelism,
        keepColumns == null ? List.of() : List.copyOf(keepColumns));
  }
}
