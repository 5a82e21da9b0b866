package dev.perennial.core.dataset;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.FeatureSpec;
import dev.perennial.core.data.FeatureType;
import dev.perennial.core.data.Table;
import dev.perennial.core.store.IntegrityException;
import dev.perennial.core.store.ObjectStore;
import dev.perennial.core.store.Sha256;
import dev.perennial.workflows.ObjectRef;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a snapshot's data exactly as frozen: every object is checked against the SHA-256 in the
 * manifest while it streams, so data changed after the snapshot is refused instead of trained on.
 */
public final class SnapshotReader {

  /** Receives rows as they stream. */
  public interface RowVisitor {
    /** Called before an object's rows with its header. */
    void header(Manifest.Entry object, String[] header);

    /** One data row; {@code line} is its 1-based line number in the object. */
    void row(Manifest.Entry object, long line, String[] cells);

    /**
     * The object holds no data rows: 0 bytes, no header, or a header only. {@code problem} names
     * the object. Readers refuse such data by default; validation reports it.
     */
    default void noRows(Manifest.Entry object, String problem) {
      throw new InvalidDatasetException(problem);
    }
  }

  /** Progress of a read, for heartbeats. */
  public interface Progress {
    void objectDone(int done, int total, long rows);

    Progress NONE = (done, total, rows) -> {};
  }

  /**
   * Receives records as they stream, as the CSV reader leaves them: for readers that parse the
   * cells without a {@code String} each.
   */
  private interface RecordVisitor {
    void header(Manifest.Entry object, String[] header);

    /** One data row, the CSV reader's current record; {@code line} is its 1-based line number. */
    void row(Manifest.Entry object, long line, CsvReader record);

    void noRows(Manifest.Entry object, String problem);
  }

  /** {@code visitor} given each row's cells as strings. */
  private static RecordVisitor cellsOf(RowVisitor visitor) {
    return new RecordVisitor() {
      @Override
      public void header(Manifest.Entry object, String[] header) {
        visitor.header(object, header);
      }

      @Override
      public void row(Manifest.Entry object, long line, CsvReader record) {
        visitor.row(object, line, record.record());
      }

      @Override
      public void noRows(Manifest.Entry object, String problem) {
        visitor.noRows(object, problem);
      }
    };
  }

  private final ObjectStore store;

  public SnapshotReader(ObjectStore store) {
    this.store = store;
  }

  /** The snapshot's manifest, checked against its SHA-256. */
  public Manifest manifest(DatasetSnapshot snapshot) {
    return Manifest.fromJson(readVerified(snapshot.manifest()));
  }

  /** The snapshot's schema, checked against its SHA-256. */
  public FeatureSchema schema(DatasetSnapshot snapshot) {
    return FeatureSchema.fromJson(readVerified(snapshot.schema()));
  }

  /** Reads a small object and checks its SHA-256 against the reference. */
  public byte[] readVerified(ObjectRef ref) {
    byte[] bytes =
        store
            .read(ref.bucket(), ref.key())
            .orElseThrow(
                () ->
                    new IntegrityException(
                        ref.uri() + " is gone: it was deleted after it was recorded"))
            .bytes();
    String actual = Sha256.hex(bytes);
    if (!actual.equals(ref.sha256())) {
      throw new IntegrityException(
          ref.uri()
              + " changed after it was recorded (SHA-256 "
              + actual
              + ", expected "
              + ref.sha256()
              + ")");
    }
    return bytes;
  }

  /** The partition days of the snapshot, ascending. */
  public List<String> days(DatasetSnapshot snapshot) {
    return manifest(snapshot).days();
  }

  /** Streams every row of the objects whose day passes {@code days}. */
  public long forEachRow(
      DatasetSnapshot snapshot, Predicate<String> days, RowVisitor visitor, Progress progress) {
    return forEachRecord(snapshot, days, cellsOf(visitor), progress);
  }

  private long forEachRecord(
      DatasetSnapshot snapshot, Predicate<String> days, RecordVisitor visitor, Progress progress) {
    Manifest manifest = manifest(snapshot);
    List<Manifest.Entry> objects =
        manifest.objects().stream().filter(o -> days.test(o.day())).toList();
    long rows = 0;
    int done = 0;
    for (Manifest.Entry object : objects) {
      rows += readObject(manifest.bucket(), object, visitor);
      progress.objectDone(++done, objects.size(), rows);
    }
    return rows;
  }

  /**
   * Streams every row of one object, checked against the entry's SHA-256 while it streams: for
   * readers of objects that are not in a dataset snapshot (batch scoring's inputs).
   */
  public long forEachRow(String bucket, Manifest.Entry object, RowVisitor visitor) {
    return readObject(bucket, object, cellsOf(visitor));
  }

  private long readObject(String bucket, Manifest.Entry object, RecordVisitor visitor) {
    String uri = "s3://" + bucket + "/" + object.key();
    MessageDigest digest = Sha256.newDigest();
    long rows = 0;
    CsvReader csv = null;
    try (InputStream raw = new StoreStream(store.open(bucket, object.key()));
        DigestInputStream hashed = new DigestInputStream(raw, digest)) {
      try {
        PushbackInputStream source = new PushbackInputStream(hashed, 1);
        int first = source.read();
        if (first < 0) {
          visitor.noRows(object, uri + " is empty (0 bytes)");
        } else {
          source.unread(first);
          InputStream data =
              object.key().endsWith(".gz") ? new GZIPInputStream(source, 1 << 16) : source;
          csv = new CsvReader(new InputStreamReader(data, strictUtf8()));
          String[] header = csv.next();
          if (header == null) {
            visitor.noRows(object, uri + " has no header row: it holds no data");
          } else {
            visitor.header(object, header);
            while (csv.nextRecord()) {
              visitor.row(object, csv.line(), csv);
              rows++;
            }
            if (rows == 0) {
              visitor.noRows(object, uri + " has a header row but no data rows");
            }
          }
        }
      } catch (StoreStream.Failure e) {
        throw e;
      } catch (IOException e) {
        // The bytes arrived but are not readable data. If they are not the bytes that were
        // snapshotted, that is the finding; otherwise the object itself is bad.
        hashed.transferTo(OutputStream.nullOutputStream());
        checkDigest(uri, object, digest);
        throw new InvalidDatasetException(
            uri
                + (csv == null ? "" : " near line " + csv.position())
                + ": "
                + dataProblem(e)
                + "; fix or remove the object and start a new run");
      }
      // Hash whatever follows the gzip trailer too, so the digest covers the whole object.
      hashed.transferTo(OutputStream.nullOutputStream());
    } catch (ObjectStore.NoSuchObjectException e) {
      throw new IntegrityException(uri + " was deleted after the snapshot was taken");
    } catch (StoreStream.Failure e) {
      throw new ObjectStore.ObjectStoreException(
          "cannot read " + uri + ": " + brief(String.valueOf(e.getCause())), e.getCause());
    } catch (IOException e) {
      throw new ObjectStore.ObjectStoreException(
          "cannot read " + uri + ": " + brief(String.valueOf(e)), e);
    }
    checkDigest(uri, object, digest);
    return rows;
  }

  private static void checkDigest(String uri, Manifest.Entry object, MessageDigest digest) {
    String actual = Sha256.hex(digest);
    if (!actual.equals(object.sha256())) {
      throw new IntegrityException(
          uri
              + " changed after the snapshot was taken (SHA-256 "
              + actual
              + ", manifest says "
              + object.sha256()
              + "): take a new snapshot by starting a new run");
    }
  }

  /** UTF-8 that refuses bytes it cannot decode instead of replacing them. */
  private static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** What is wrong with bytes that failed to decode, in words, short. */
  private static String dataProblem(IOException e) {
    if (e instanceof ZipException) {
      return "not valid gzip (" + brief(e.getMessage()) + ")";
    }
    if (e instanceof EOFException) {
      return "truncated: the data ends before its gzip stream does (" + brief(e.getMessage()) + ")";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text (" + brief(e.toString()) + ")";
    }
    return "unreadable (" + brief(e.toString()) + ")";
  }

  private static String brief(String text) {
    if (text == null) {
      return "no detail";
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  /**
   * The store's stream, with its read failures (a lost connection, a reset) marked, so they are
   * told apart from data that does not decode: the first is retried, the second is refused.
   */
  private static final class StoreStream extends FilterInputStream {
    /** A read of the store's stream failed. */
    static final class Failure extends IOException {
      private static final long serialVersionUID = 1L;

      Failure(IOException cause) {
        super(cause.getMessage(), cause);
      }
    }

    StoreStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException e) {
        throw new Failure(e);
      }
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /**
   * Reads the rows of the days that pass {@code days} into columns: numeric cells as doubles (empty
   * = NaN), categorical cells as strings (empty = null), the label as 0/1.
   *
   * @throws InvalidDatasetException for a missing column, an unparseable number or a label that is
   *     not 0 or 1 (validation reports these before training reads the data)
   */
  public Table read(DatasetSnapshot snapshot, FeatureSchema schema, Predicate<String> days) {
    return read(snapshot, schema, days, Progress.NONE);
  }

  public Table read(
      DatasetSnapshot snapshot, FeatureSchema schema, Predicate<String> days, Progress progress) {
    return read(snapshot, schema, days, null, progress).table();
  }

  /**
   * The rows of a read and, when it sampled, what it saw and kept.
   *
   * @param summary null when every row was read
   */
  public record Sampled(Table table, RowSample.Summary summary) {}

  /**
   * Like {@link #read(DatasetSnapshot, FeatureSchema, Predicate, Progress)}, keeping at most {@code
   * sample.maxRows()} of the rows as {@code sample} picks them (null: every row). Never holds more
   * rows than it keeps; a row it does not keep is not parsed beyond its label. A stratified sample
   * reads the days twice: the first pass counts the labels.
   */
  public Sampled read(
      DatasetSnapshot snapshot,
      FeatureSchema schema,
      Predicate<String> days,
      RowSample sample,
      Progress progress) {
    if (sample == null) {
      return new Sampled(readAll(snapshot, schema, days, progress), null);
    }
    long[] seen;
    RowSample.Picker picker;
    ColumnsBuilder builder;
    Progress reading = progress;
    if (sample.stratified()) {
      seen = countLabels(snapshot, schema, days, (d, t, r) -> progress.objectDone(d, 2 * t, r));
      int[] quota = sample.quotas(seen);
      picker = sample.selection(seen, quota);
      builder = new ColumnsBuilder(schema.features(), quota[0] + quota[1]);
      reading = (d, t, r) -> progress.objectDone(t + d, 2 * t, r);
    } else {
      seen = new long[2];
      RowSample.Picker reservoir = sample.reservoir();
      picker =
          label -> {
            seen[label]++;
            return reservoir.slot(label);
          };
      builder = new ColumnsBuilder(schema.features(), sample.maxRows());
    }
    readInto(snapshot, schema, days, picker, builder, reading);
    Table table = builder.build(schema);
    int positivesKept = 0;
    for (int y : table.label()) {
      positivesKept += y;
    }
    return new Sampled(
        table,
        new RowSample.Summary(
            sample.method(),
            sample.maxRows(),
            seen[0] + seen[1],
            table.rows(),
            sample.seed(),
            seen[1],
            positivesKept));
  }

  /** Rows per label (0, 1) of the days that pass {@code days}. */
  private long[] countLabels(
      DatasetSnapshot snapshot, FeatureSchema schema, Predicate<String> days, Progress progress) {
    long[] counts = new long[2];
    forEachRecord(
        snapshot,
        days,
        new RecordVisitor() {
          int labelIndex;

          @Override
          public void header(Manifest.Entry object, String[] header) {
            labelIndex = labelIndex(object, positions(header), schema);
          }

          @Override
          public void row(Manifest.Entry object, long line, CsvReader record) {
            counts[label(object, line, record, labelIndex)]++;
          }

          @Override
          public void noRows(Manifest.Entry object, String problem) {
            throw new InvalidDatasetException(problem);
          }
        },
        progress);
    return counts;
  }

  private void readInto(
      DatasetSnapshot snapshot,
      FeatureSchema schema,
      Predicate<String> days,
      RowSample.Picker picker,
      ColumnsBuilder builder,
      Progress progress) {
    forEachRecord(snapshot, days, columns(schema, picker, builder), progress);
  }

  /**
   * Every row of the days that pass {@code days}, in the manifest's order. The objects are read at
   * the same time on up to one thread per core, each into columns of its own, which are then joined
   * one column at a time.
   */
  private Table readAll(
      DatasetSnapshot snapshot, FeatureSchema schema, Predicate<String> days, Progress progress) {
    Manifest manifest = manifest(snapshot);
    List<Manifest.Entry> objects =
        manifest.objects().stream().filter(o -> days.test(o.day())).toList();
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), objects.size());
    if (threads <= 1) {
      ColumnsBuilder builder = new ColumnsBuilder(schema.features(), Integer.MAX_VALUE);
      readInto(snapshot, schema, days, RowSample.all(), builder, progress);
      return builder.build(schema);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "perennial-read");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<ColumnsBuilder>> parts = new ArrayList<>();
      // One instance per category value across the parts, as one read makes.
      ConcurrentMap<String, String> values = new ConcurrentHashMap<>();
      for (Manifest.Entry object : objects) {
        parts.add(
            pool.submit(
                () -> {
                  ColumnsBuilder part =
                      new ColumnsBuilder(
                          schema.features(), Integer.MAX_VALUE, new Cells.Interned(values));
                  readObject(manifest.bucket(), object, columns(schema, RowSample.all(), part));
                  return part;
                }));
      }
      List<ColumnsBuilder> read = new ArrayList<>();
      long rows = 0;
      for (Future<ColumnsBuilder> part : parts) {
        // In the manifest's order: the first object that fails is the one reported, as when
        // the objects are read one after another.
        ColumnsBuilder done = joined(part);
        read.add(done);
        rows += done.size;
        progress.objectDone(read.size(), objects.size(), rows);
      }
      return ColumnsBuilder.concat(schema, read);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The part's columns, or what stopped its read, thrown as it was thrown. */
  private static ColumnsBuilder joined(Future<ColumnsBuilder> part) {
    try {
      return part.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the snapshot", e);
    }
  }

  /** A visitor that puts each row {@code picker} keeps into {@code builder}'s columns. */
  private static RecordVisitor columns(
      FeatureSchema schema, RowSample.Picker picker, ColumnsBuilder builder) {
    List<FeatureSpec> features = schema.features();
    int n = features.size();
    return new RecordVisitor() {
      int[] index;
      int labelIndex;

      @Override
      public void header(Manifest.Entry object, String[] header) {
        Map<String, Integer> position = positions(header);
        index = new int[n];
        for (int j = 0; j < n; j++) {
          Integer p = position.get(features.get(j).name());
          if (p == null) {
            throw new InvalidDatasetException(
                object.key() + " has no column '" + features.get(j).name() + "'");
          }
          index[j] = p;
        }
        labelIndex = labelIndex(object, position, schema);
      }

      @Override
      public void row(Manifest.Entry object, long line, CsvReader record) {
        int y = label(object, line, record, labelIndex);
        int slot = picker.slot(y);
        if (slot >= 0) {
          builder.put(slot, object, line, record, index, y);
        }
      }

      @Override
      public void noRows(Manifest.Entry object, String problem) {
        throw new InvalidDatasetException(problem);
      }
    };
  }

  private static int labelIndex(
      Manifest.Entry object, Map<String, Integer> position, FeatureSchema schema) {
    Integer l = position.get(schema.label());
    if (l == null) {
      throw new InvalidDatasetException(
          object.key() + " has no label column '" + schema.label() + "'");
    }
    return l;
  }

  /** The row's label, 0 or 1. */
  private static int label(Manifest.Entry object, long line, CsvReader record, int labelIndex) {
    if (labelIndex < record.fields()) {
      char[] c = record.chars();
      int from = Cells.trimStart(c, record.start(labelIndex), record.end(labelIndex));
      int to = Cells.trimEnd(c, from, record.end(labelIndex));
      // "0", "1", "0.0" or "1.0"
      int length = to - from;
      if ((length == 1 || length == 3 && c[from + 1] == '.' && c[from + 2] == '0')
          && (c[from] == '0' || c[from] == '1')) {
        return c[from] - '0';
      }
      throw notALabel(object, line, new String(c, from, to - from));
    }
    throw notALabel(object, line, "");
  }

  private static InvalidDatasetException notALabel(Manifest.Entry object, long line, String y) {
    return new InvalidDatasetException(
        object.key() + " line " + line + ": label '" + y + "' is not 0 or 1");
  }

  /**
   * Column arrays, growing up to {@code maxRows}: rows are appended or overwrite a slot already
   * filled, and the arrays never grow past what is kept.
   */
  private static final class ColumnsBuilder {
    private final List<FeatureSpec> features;
    private final int maxRows;
    private final double[][] numeric;
    private final String[][] categorical;
    private final Cells.Interned interned;
    private int[] label;
    private String[] day;
    private int size;

    ColumnsBuilder(List<FeatureSpec> features, int maxRows) {
      this(features, maxRows, new Cells.Interned());
    }

    ColumnsBuilder(List<FeatureSpec> features, int maxRows, Cells.Interned interned) {
      this.interned = interned;
      this.features = features;
      this.maxRows = maxRows;
      int initial = Math.min(1024, maxRows);
      label = new int[initial];
      day = new String[initial];
      int n = features.size();
      numeric = new double[n][];
      categorical = new String[n][];
      for (int j = 0; j < n; j++) {
        if (features.get(j).type() == FeatureType.NUMERIC) {
          numeric[j] = new double[initial];
        } else {
          categorical[j] = new String[initial];
        }
      }
    }

    /** Writes the row at {@code slot}: the next one ({@code size}) or one already filled. */
    void put(int slot, Manifest.Entry object, long line, CsvReader record, int[] index, int y) {
      if (slot == size) {
        if (size == label.length) {
          grow();
        }
        size++;
      }
      char[] c = record.chars();
      for (int j = 0; j < index.length; j++) {
        // The cell trimmed, as a range of the record's characters (a missing cell is empty).
        int from = 0;
        int to = 0;
        if (index[j] < record.fields()) {
          from = Cells.trimStart(c, record.start(index[j]), record.end(index[j]));
          to = Cells.trimEnd(c, from, record.end(index[j]));
        }
        if (numeric[j] != null) {
          if (from == to) {
            numeric[j][slot] = Double.NaN;
          } else {
            double v;
            try {
              v = Cells.parseDouble(c, from, to);
            } catch (NumberFormatException e) {
              throw notANumber(object, line, new String(c, from, to - from), j, "a number");
            }
            // "NaN" and "Infinity" parse, but are no measurement: the validator refuses them
            // too, and an infinity would leave the reference profile without deciles.
            if (!Double.isFinite(v)) {
              throw notANumber(object, line, new String(c, from, to - from), j, "a finite number");
            }
            numeric[j][slot] = v;
          }
        } else {
          categorical[j][slot] = from == to ? null : interned.of(c, from, to);
        }
      }
      label[slot] = y;
      day[slot] = object.day();
    }

    private InvalidDatasetException notANumber(
        Manifest.Entry object, long line, String cell, int j, String what) {
      return new InvalidDatasetException(
          object.key()
              + " line "
              + line
              + ": '"
              + cell
              + "' in column '"
              + features.get(j).name()
              + "' is not "
              + what);
    }

    private void grow() {
      int capacity = (int) Math.min((long) label.length * 2, maxRows);
      for (int j = 0; j < numeric.length; j++) {
        if (numeric[j] != null) {
          numeric[j] = Arrays.copyOf(numeric[j], capacity);
        } else {
          categorical[j] = Arrays.copyOf(categorical[j], capacity);
        }
      }
      label = Arrays.copyOf(label, capacity);
      day = Arrays.copyOf(day, capacity);
    }

    /**
     * The parts' rows one after another, as one table: copied a column at a time, each part's
     * column let go once copied, so the join needs about one column more than the parts. The parts
     * share their category values' instances ({@link Cells.Interned#Interned(ConcurrentMap)}).
     */
    static Table concat(FeatureSchema schema, List<ColumnsBuilder> parts) {
      int rows = 0;
      for (ColumnsBuilder p : parts) {
        rows += p.size;
      }
      int n = schema.features().size();
      double[][] numeric = new double[n][];
      String[][] categorical = new String[n][];
      for (int j = 0; j < n; j++) {
        int at = 0;
        if (schema.features().get(j).type() == FeatureType.NUMERIC) {
          double[] column = new double[rows];
          for (ColumnsBuilder p : parts) {
            System.arraycopy(p.numeric[j], 0, column, at, p.size);
            at += p.size;
            p.numeric[j] = null;
          }
          numeric[j] = column;
        } else {
          String[] column = new String[rows];
          for (ColumnsBuilder p : parts) {
            System.arraycopy(p.categorical[j], 0, column, at, p.size);
            at += p.size;
            p.categorical[j] = null;
          }
          categorical[j] = column;
        }
      }
      int[] label = new int[rows];
      String[] day = new String[rows];
      int at = 0;
      for (ColumnsBuilder p : parts) {
        System.arraycopy(p.label, 0, label, at, p.size);
        System.arraycopy(p.day, 0, day, at, p.size);
        at += p.size;
      }
      return new Table(schema, numeric, categorical, label, day);
    }

    Table build(FeatureSchema schema) {
      if (size == label.length) {
        return new Table(schema, numeric, categorical, label, day);
      }
      for (int j = 0; j < numeric.length; j++) {
        if (numeric[j] != null) {
          numeric[j] = Arrays.copyOf(numeric[j], size);
        } else {
          categorical[j] = Arrays.copyOf(categorical[j], size);
        }
      }
      return new Table(
          schema, numeric, categorical, Arrays.copyOf(label, size), Arrays.copyOf(day, size));
    }
  }

  /** Column name to position in a header row (names trimmed). */
  static Map<String, Integer> positions(String[] header) {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      position.put(header[i].trim(), i);
    }
    return position;
  }

  /** Splits days into training days and the held-out window (the last {@code holdoutDays}). */
  public static List<List<String>> splitDays(List<String> days, int holdoutDays) {
    if (days.size() <= holdoutDays) {
      throw new InvalidDatasetException(
          "the snapshot has "
              + days.size()
              + " days, holdoutDays="
              + holdoutDays
              + " leaves none to train on");
    }
    List<String> sorted = new ArrayList<>(days);
    sorted.sort(null);
    int cut = sorted.size() - holdoutDays;
    return List.of(
        List.copyOf(sorted.subList(0, cut)), List.copyOf(sorted.subList(cut, sorted.size())));
  }
}
