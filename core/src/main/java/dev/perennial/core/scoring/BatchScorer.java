package dev.perennial.core.scoring;

import dev.perennial.core.BuildInfo;
import dev.perennial.core.Json;
import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.data.Table;
import dev.perennial.core.dataset.DataPartitions;
import dev.perennial.core.dataset.InvalidDatasetException;
import dev.perennial.core.dataset.Manifest;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.ModelBundle;
import dev.perennial.core.model.ModelCodec;
import dev.perennial.core.registry.ModelRegistry;
import dev.perennial.core.scoring.ScoringDocuments.Chunk;
import dev.perennial.core.scoring.ScoringDocuments.Entry;
import dev.perennial.core.scoring.ScoringDocuments.Input;
import dev.perennial.core.scoring.ScoringDocuments.ManifestChunk;
import dev.perennial.core.scoring.ScoringDocuments.Plan;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.ObjectStore.ObjectInfo;
import dev.perennial.core.store.Sha256;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.DatasetSpec;
import dev.perennial.workflows.registry.Aliases;
import dev.perennial.workflows.registry.ModelVersion;
import dev.perennial.workflows.scoring.BatchScoringRequest;
import dev.perennial.workflows.scoring.ChunkResult;
import dev.perennial.workflows.scoring.ScoringChunk;
import dev.perennial.workflows.scoring.ScoringPlan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Scores rows in S3 with a registered model version, in chunks, writing the predictions next to the
 * inputs.
 *
 * <p>Layout, for inputs under {@code <prefix>} scored by version N:
 *
 * <ul>
 *   <li>{@code <prefix>predictions/vN/<input path>.csv.gz}: a whole input object's predictions
 *       ({@code dt=2026-01-05/part-00000.csv.gz} keeps its name); a chunk of part of an object adds
 *       its rows: {@code part-00000.rows-0-50000.csv.gz}. Header {@code row,<kept
 *       columns>,probability,version}; {@code row} is the 0-based data row in the input object.
 *   <li>{@code <prefix>predictions/vN/_entries/<same path>.json}: the chunk's manifest entry
 *       ({@link Entry}), written after its output.
 *   <li>{@code <prefix>predictions/vN/_plans/<id>.json}: the plan ({@link Plan}).
 *   <li>{@code <prefix>predictions/vN/manifest-<id>.json}: the scoring's manifest, written last.
 * </ul>
 *
 * <p>Plan and manifest are named by the plan's content, and a chunk's output by its input and rows,
 * so every step may run again: a chunk whose entry matches its input's and the model's bytes and
 * whose output still has the entry's SHA-256 is not scored again.
 */
public final class BatchScorer {
  /** Chunks one scoring may have: each is a few events in the workflow's history. */
  public static final int MAX_CHUNKS = 5000;

  /** Rows scored per call of the model. */
  static final int BATCH = 4096;

  static final String OUTPUT_DIR = "predictions/";

  private static final Pattern PARTITION =
      Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})/[^/]+\\.csv(\\.gz)?");

  /** Where a long step is, for heartbeats. */
  public interface Progress {
    void at(String detail);

    Progress NONE = detail -> {};
  }

  private final ObjectStore store;
  private final ModelRegistry registry;
  private final ModelCodec codec;
  private final SnapshotReader reader;
  private final Map<String, ModelBundle> bundles = new LinkedHashMap<>(4, 0.75f, true);

  /** {@code codec} admits the models of the trainers this process has. */
  public BatchScorer(ObjectStore store, ModelRegistry registry, ModelCodec codec) {
    this.store = store;
    this.registry = registry;
    this.codec = codec;
    this.reader = new SnapshotReader(store);
  }

  /**
   * Resolves the version, lists, hashes and counts the inputs, plans the chunks and writes the
   * plan.
   *
   * @throws IllegalArgumentException when the model has no such version or no champion
   * @throws InvalidDatasetException when nothing matches, an input lacks a column the model needs,
   *     or the plan would have more than {@link #MAX_CHUNKS} chunks
   */
  public ScoringPlan plan(BatchScoringRequest given, Progress progress) {
    BatchScoringRequest request = given.withDefaults();
    ModelVersion version = resolve(request);
    if (version.artifacts() == null || version.artifacts().model() == null) {
      throw new IntegrityException(
          "model " + version.model() + " v" + version.version() + " has no model bundle recorded");
    }
    FeatureSchema schema =
        FeatureSchema.fromJson(reader.readVerified(version.artifacts().featureSchema()));
    DatasetSpec spec = request.dataset();
    List<ObjectInfo> objects = inputs(spec);
    List<String> needed =
        new ArrayList<>(schema.features().stream().map(FeatureSpec::name).toList());
    needed.addAll(request.keepColumns());

    String outputPrefix = spec.prefix() + OUTPUT_DIR + "v" + version.version() + "/";
    List<Input> inputs = new ArrayList<>();
    List<Chunk> chunks = new ArrayList<>();
    for (ObjectInfo o : objects) {
      progress.at("hashing " + (inputs.size() + 1) + "/" + objects.size() + " " + o.key());
      String sha = hash(spec.bucket(), o.key());
      long rows =
          countRows(spec.bucket(), new Manifest.Entry(o.key(), null, o.size(), null, sha), needed);
      Matcher m = PARTITION.matcher(o.key().substring(spec.prefix().length()));
      inputs.add(new Input(o.key(), m.matches() ? m.group(1) : null, o.size(), sha, rows));
      String stem = stem(o.key().substring(spec.prefix().length()));
      long step = request.chunkRows() == null ? Math.max(rows, 1) : request.chunkRows();
      for (long from = 0; from < rows; from += step) {
        long to = Math.min(rows, from + step);
        String name = from == 0 && to == rows ? stem : stem + ".rows-" + from + "-" + to;
        chunks.add(
            new Chunk(
                chunks.size(),
                inputs.size() - 1,
                from,
                to,
                outputPrefix + name + ".csv.gz",
                outputPrefix + "_entries/" + name + ".json"));
      }
      if (chunks.size() > MAX_CHUNKS) {
        throw new InvalidDatasetException(
            "scoring s3://"
                + spec.bucket()
                + "/"
                + spec.prefix()
                + " would take more than "
                + MAX_CHUNKS
                + " chunks: raise chunkRows (now "
                + request.chunkRows()
                + ") or score fewer days per run");
      }
    }
    Plan plan =
        new Plan(
            request.model(),
            version.version(),
            version.artifacts().model(),
            version.artifacts().featureSchema(),
            spec.bucket(),
            spec.prefix(),
            outputPrefix,
            request.keepColumns(),
            request.chunkRows(),
            inputs,
            chunks);
    byte[] json = Json.write(plan);
    String id = Sha256.hex(json).substring(0, 16);
    var stored =
        store.put(spec.bucket(), outputPrefix + "_plans/" + id + ".json", json, "application/json");
    return new ScoringPlan(
        request.model(),
        version.version(),
        version.artifacts().model().sha256(),
        new ObjectRef(stored.bucket(), stored.key(), stored.sha256(), stored.size()),
        "s3://" + spec.bucket() + "/" + outputPrefix,
        chunks.size(),
        inputs.size(),
        inputs.stream().mapToLong(Input::rows).sum());
  }

  /**
   * Scores chunk {@code job.index()} of the plan, unless its output is there already for the same
   * input bytes and model bytes; then returns that.
   *
   * @throws IntegrityException when the plan, the model or the input changed after planning
   */
  public ChunkResult scoreChunk(ScoringChunk job, Progress progress) {
    Plan plan = Json.read(reader.readVerified(job.plan()), Plan.class);
    if (job.index() < 0 || job.index() >= plan.chunks().size()) {
      throw new IllegalArgumentException(
          "chunk "
              + job.index()
              + " is not in plan "
              + job.plan().uri()
              + " (it has "
              + plan.chunks().size()
              + ")");
    }
    Chunk chunk = plan.chunks().get(job.index());
    Input input = plan.inputs().get(chunk.input());
    FeatureSchema schema = FeatureSchema.fromJson(reader.readVerified(plan.schema()));
    List<String> columns = columns(plan.keepColumns());
    Entry written = existing(plan, chunk, input, columns);
    if (written != null) {
      progress.at("chunk " + chunk.index() + " already written: " + written.output().uri());
      return new ChunkResult(chunk.index(), written.output(), written.rows(), true);
    }
    ModelBundle bundle = bundle(plan.bundle());
    byte[] bytes = score(plan, chunk, input, schema, bundle, columns, progress);
    var stored = store.put(plan.bucket(), chunk.output(), bytes, "application/gzip");
    ObjectRef output = new ObjectRef(stored.bucket(), stored.key(), stored.sha256(), stored.size());
    long rows = chunk.toRow() - chunk.fromRow();
    Entry entry =
        new Entry(
            plan.model(),
            plan.version(),
            plan.bundle().sha256(),
            input.key(),
            input.sha256(),
            chunk.fromRow(),
            chunk.toRow(),
            columns,
            output,
            rows);
    store.put(plan.bucket(), chunk.entry(), Json.write(entry), "application/json");
    return new ChunkResult(chunk.index(), output, rows, false);
  }

  /**
   * Writes the manifest from the chunks' entries, each checked against its output's size, and
   * returns it.
   *
   * @throws IntegrityException when a chunk's entry or output is missing or does not match
   */
  public ObjectRef writeManifest(ScoringPlan scoring) {
    Plan plan = Json.read(reader.readVerified(scoring.plan()), Plan.class);
    List<String> columns = columns(plan.keepColumns());
    List<ManifestChunk> chunks = new ArrayList<>();
    long total = 0;
    for (Chunk chunk : plan.chunks()) {
      Input input = plan.inputs().get(chunk.input());
      Entry entry = entry(plan, chunk);
      if (entry == null || !matches(entry, plan, chunk, input, columns)) {
        throw new IntegrityException(
            "chunk "
                + chunk.index()
                + " ("
                + chunk.output()
                + ") has no matching entry at s3://"
                + plan.bucket()
                + "/"
                + chunk.entry()
                + ": it was deleted or overwritten after it was scored; run the scoring again");
      }
      var info = store.stat(plan.bucket(), chunk.output());
      if (info.isEmpty() || info.get().size() != entry.output().size()) {
        throw new IntegrityException(
            entry.output().uri()
                + " is gone or changed since it was scored; run the scoring again");
      }
      chunks.add(
          new ManifestChunk(
              chunk.index(),
              input.key(),
              chunk.fromRow(),
              chunk.toRow(),
              entry.rows(),
              entry.output()));
      total += entry.rows();
    }
    ScoringDocuments.Manifest manifest =
        new ScoringDocuments.Manifest(
            plan.model(),
            plan.version(),
            plan.bundle(),
            scoring.plan(),
            plan.outputPrefix(),
            columns,
            plan.inputs(),
            chunks,
            chunks.size(),
            total,
            BuildInfo.codeVersion());
    String id = scoring.plan().sha256().substring(0, 16);
    var stored =
        store.put(
            plan.bucket(),
            plan.outputPrefix() + "manifest-" + id + ".json",
            Json.write(manifest),
            "application/json");
    return new ObjectRef(stored.bucket(), stored.key(), stored.sha256(), stored.size());
  }

  private ModelVersion resolve(BatchScoringRequest request) {
    String model = request.model();
    if (request.version() != null) {
      return registry
          .version(model, request.version())
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "version: model "
                          + model
                          + " has no version "
                          + request.version()
                          + " (registered: "
                          + registered(model)
                          + ")"));
    }
    ModelVersion champion = registry.findAlias(model, Aliases.CHAMPION);
    if (champion == null) {
      throw new IllegalArgumentException(
          "model "
              + model
              + " has no champion (registered: "
              + registered(model)
              + "): name a version to score with, or train one first");
    }
    return champion;
  }

  private String registered(String model) {
    List<String> numbers = registry.versions(model).stream().map(v -> "v" + v.version()).toList();
    return numbers.isEmpty() ? "none" : String.join(", ", numbers);
  }

  /**
   * The input objects: the {@code dt=} partitions the spec selects, or, under a prefix with no
   * partitions, every CSV object; never what scoring wrote under {@code predictions/}.
   */
  private List<ObjectInfo> inputs(DatasetSpec spec) {
    String where = "s3://" + spec.bucket() + "/" + spec.prefix();
    TreeMap<String, List<ObjectInfo>> byDay = new TreeMap<>();
    List<ObjectInfo> flat = new ArrayList<>();
    for (ObjectInfo o : store.list(spec.bucket(), spec.prefix())) {
      String relative = o.key().substring(spec.prefix().length());
      if (relative.startsWith(OUTPUT_DIR)) {
        continue;
      }
      Matcher m = PARTITION.matcher(relative);
      if (m.matches()) {
        byDay.computeIfAbsent(m.group(1), d -> new ArrayList<>()).add(o);
      } else if (relative.endsWith(".csv") || relative.endsWith(".csv.gz")) {
        flat.add(o);
      }
    }
    if (byDay.isEmpty()) {
      if (spec.from() != null || spec.to() != null) {
        throw new InvalidDatasetException(
            "dataset.from/to select dt=YYYY-MM-DD partitions, and there are none under " + where);
      }
      if (flat.isEmpty()) {
        throw new InvalidDatasetException(
            "nothing to score under "
                + where
                + ": expected objects like "
                + where
                + "dt=2026-01-31/part-00000.csv.gz, or .csv / .csv.gz objects");
      }
      return flat;
    }
    List<String> days =
        DataPartitions.selectDays(spec, byDay, BatchScoringRequest.DEFAULT_LAST_DAYS, where);
    return days.stream().flatMap(d -> byDay.get(d).stream()).toList();
  }

  private String hash(String bucket, String key) {
    return Sha256.ofObject(store, bucket, key, "the scoring was planned");
  }

  /** Data rows of the object, after checking that its header has every column {@code needed}. */
  private long countRows(String bucket, Manifest.Entry object, List<String> needed) {
    return reader.forEachRow(
        bucket,
        object,
        new SnapshotReader.RowVisitor() {
          @Override
          public void header(Manifest.Entry o, String[] header) {
            List<String> have = Arrays.stream(header).map(String::trim).toList();
            List<String> missing = needed.stream().filter(c -> !have.contains(c)).toList();
            if (!missing.isEmpty()) {
              throw new InvalidDatasetException(
                  "s3://"
                      + bucket
                      + "/"
                      + o.key()
                      + " has no column "
                      + String.join(", ", missing.stream().map(c -> "'" + c + "'").toList())
                      + ", which the model (or keepColumns) needs");
            }
          }

          @Override
          public void row(Manifest.Entry o, long line, String[] cells) {}

          @Override
          public void noRows(Manifest.Entry o, String problem) {}
        });
  }

  /** The entry of a chunk already written for the same bytes, null when it must be scored. */
  private Entry existing(Plan plan, Chunk chunk, Input input, List<String> columns) {
    Entry entry = entry(plan, chunk);
    if (entry == null || !matches(entry, plan, chunk, input, columns)) {
      return null;
    }
    ObjectRef out = entry.output();
    MessageDigest digest = Sha256.newDigest();
    try (InputStream in = new DigestInputStream(store.open(out.bucket(), out.key()), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (ObjectStore.NoSuchObjectException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + out.uri(), e);
    }
    return Sha256.hex(digest).equals(out.sha256()) ? entry : null;
  }

  private Entry entry(Plan plan, Chunk chunk) {
    return store
        .read(plan.bucket(), chunk.entry())
        .map(
            v -> {
              try {
                return Json.read(v.bytes(), Entry.class);
              } catch (UncheckedIOException e) {
                return null; // unreadable: score again, which rewrites it
              }
            })
        .orElse(null);
  }

  private static boolean matches(
      Entry e, Plan plan, Chunk chunk, Input input, List<String> columns) {
    return e.version() == plan.version()
        && plan.bundle().sha256().equals(e.modelSha256())
        && input.key().equals(e.input())
        && input.sha256().equals(e.inputSha256())
        && e.fromRow() == chunk.fromRow()
        && e.toRow() == chunk.toRow()
        && columns.equals(e.columns())
        && e.output() != null
        && chunk.output().equals(e.output().key());
  }

  private static List<String> columns(List<String> keep) {
    List<String> c = new ArrayList<>();
    c.add("row");
    c.addAll(keep);
    c.add("probability");
    c.add("version");
    return List.copyOf(c);
  }

  private synchronized ModelBundle bundle(ObjectRef ref) {
    ModelBundle cached = bundles.get(ref.sha256());
    if (cached != null) {
      return cached;
    }
    ModelBundle bundle = codec.deserialize(reader.readVerified(ref), ref);
    bundles.put(ref.sha256(), bundle);
    if (bundles.size() > 2) {
      bundles.remove(bundles.keySet().iterator().next());
    }
    return bundle;
  }

  /** The chunk's rows scored, as gzip CSV bytes. */
  private byte[] score(
      Plan plan,
      Chunk chunk,
      Input input,
      FeatureSchema schema,
      ModelBundle bundle,
      List<String> columns,
      Progress progress) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Writer out =
        new OutputStreamWriter(new GZIPOutputStream(bytes, 1 << 16), StandardCharsets.UTF_8)) {
      out.write(String.join(",", columns));
      out.write('\n');
      ChunkWriter writer = new ChunkWriter(plan, chunk, input, schema, bundle, out, progress);
      reader.forEachRow(
          plan.bucket(),
          new Manifest.Entry(input.key(), input.day(), input.size(), null, input.sha256()),
          writer);
      writer.flush();
      if (writer.next != input.rows()) {
        throw new IntegrityException(
            "s3://"
                + plan.bucket()
                + "/"
                + input.key()
                + " has "
                + writer.next
                + " rows where the plan counted "
                + input.rows());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Collects the chunk's rows into batches, scores each and writes its lines. */
  private static final class ChunkWriter implements SnapshotReader.RowVisitor {
    private final Chunk chunk;
    private final FeatureSchema schema;
    private final ModelBundle bundle;
    private final Writer out;
    private final Progress progress;
    private final String uri;
    private final String version;
    private final List<String> keep;
    private final int n;
    private int[] featureAt;
    private int[] keepAt;
    private final double[][] numeric;
    private final String[][] categorical;
    private final String[][] kept;
    private final Map<String, String> interned = new HashMap<>();
    private final int capacity;
    private int size;
    private long batchStart;
    long next; // the next data row's index in the object

    ChunkWriter(
        Plan plan,
        Chunk chunk,
        Input input,
        FeatureSchema schema,
        ModelBundle bundle,
        Writer out,
        Progress progress) {
      this.chunk = chunk;
      this.schema = schema;
      this.bundle = bundle;
      this.out = out;
      this.progress = progress;
      this.uri = "s3://" + plan.bucket() + "/" + input.key();
      this.version = Integer.toString(plan.version());
      this.keep = plan.keepColumns();
      this.n = schema.features().size();
      int rows = (int) Math.max(1, Math.min(BATCH, chunk.toRow() - chunk.fromRow()));
      this.capacity = rows;
      numeric = new double[n][];
      categorical = new String[n][];
      for (int j = 0; j < n; j++) {
        if (schema.features().get(j).type() == FeatureType.NUMERIC) {
          numeric[j] = new double[rows];
        } else {
          categorical[j] = new String[rows];
        }
      }
      kept = new String[keep.size()][rows];
    }

    @Override
    public void header(Manifest.Entry object, String[] header) {
      Map<String, Integer> at = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        at.put(header[i].trim(), i);
      }
      featureAt = new int[n];
      for (int j = 0; j < n; j++) {
        featureAt[j] = position(at, schema.features().get(j).name());
      }
      keepAt = new int[keep.size()];
      for (int k = 0; k < keep.size(); k++) {
        keepAt[k] = position(at, keep.get(k));
      }
    }

    private int position(Map<String, Integer> at, String column) {
      Integer p = at.get(column);
      if (p == null) {
        throw new InvalidDatasetException(uri + " has no column '" + column + "'");
      }
      return p;
    }

    @Override
    public void row(Manifest.Entry object, long line, String[] cells) {
      long index = next++;
      if (index < chunk.fromRow() || index >= chunk.toRow()) {
        return;
      }
      if (size == 0) {
        batchStart = index;
      }
      for (int j = 0; j < n; j++) {
        String cell = featureAt[j] < cells.length ? cells[featureAt[j]].trim() : "";
        if (numeric[j] != null) {
          numeric[j][size] = number(cell, line, j);
        } else {
          categorical[j][size] = cell.isEmpty() ? null : interned.computeIfAbsent(cell, c -> c);
        }
      }
      for (int k = 0; k < keepAt.length; k++) {
        kept[k][size] = keepAt[k] < cells.length ? cells[keepAt[k]] : "";
      }
      if (++size == capacity) {
        flush();
      }
    }

    @Override
    public void noRows(Manifest.Entry object, String problem) {}

    private double number(String cell, long line, int j) {
      if (cell.isEmpty()) {
        return Double.NaN;
      }
      try {
        double v = Double.parseDouble(cell);
        if (Double.isFinite(v)) {
          return v;
        }
      } catch (NumberFormatException e) {
        // refused below
      }
      throw new InvalidDatasetException(
          uri
              + " line "
              + line
              + ": '"
              + cell
              + "' in column '"
              + schema.features().get(j).name()
              + "' is not a finite number");
    }

    void flush() {
      if (size == 0) {
        return;
      }
      double[][] num = new double[n][];
      String[][] cat = new String[n][];
      for (int j = 0; j < n; j++) {
        if (numeric[j] != null) {
          num[j] = Arrays.copyOf(numeric[j], size);
        } else {
          cat[j] = Arrays.copyOf(categorical[j], size);
        }
      }
      String[] days = new String[size];
      Arrays.fill(days, "");
      double[] p = bundle.predictProba(new Table(schema, num, cat, new int[size], days));
      try {
        StringBuilder line = new StringBuilder(64);
        for (int i = 0; i < size; i++) {
          line.setLength(0);
          line.append(batchStart + i);
          for (String[] column : kept) {
            line.append(',');
            csv(line, column[i]);
          }
          line.append(',').append(p[i]).append(',').append(version).append('\n');
          out.write(line.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      size = 0;
      progress.at(
          "chunk "
              + chunk.index()
              + " row "
              + next
              + " of "
              + chunk.fromRow()
              + "-"
              + chunk.toRow());
    }

    private static void csv(StringBuilder line, String value) {
      if (value.indexOf(',') < 0
          && value.indexOf('"') < 0
          && value.indexOf('\n') < 0
          && value.indexOf('\r') < 0) {
        line.append(value);
      } else {
        line.append('"').append(value.replace("\"", "\"\"")).append('"');
      }
    }
  }

  /** {@code dt=2026-01-05/part-00000.csv.gz} → {@code dt=2026-01-05/part-00000}. */
  private static String stem(String relative) {
    if (relative.endsWith(".csv.gz")) {
      return relative.substring(0, relative.length() - ".csv.gz".length());
    }
    return relative.endsWith(".csv") ? relative.substring(0, relative.length() - 4) : relative;
  }
}
