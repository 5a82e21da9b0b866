package dev.perennial.core.scoring;

import dev.perennial.workflows.ObjectRef;
import java.util.List;

/** What batch scoring stores beside its predictions, as JSON. */
public final class ScoringDocuments {
  private ScoringDocuments() {}

  /**
   * The plan: which version scores, the inputs as they were when planned and every chunk.
   *
   * @param model model name
   * @param version the version that scores
   * @param bundle the version's model bundle
   * @param schema the version's feature schema: how the rows are read
   * @param bucket the inputs' and outputs' bucket
   * @param prefix the inputs' prefix
   * @param outputPrefix where the outputs go: {@code <prefix>predictions/v<N>/}
   * @param keepColumns input columns copied into the output rows
   * @param chunkRows rows per chunk, null for one chunk per object
   * @param inputs the input objects
   * @param chunks the chunks, index = position
   */
  public record Plan(
      String model,
      int version,
      ObjectRef bundle,
      ObjectRef schema,
      String bucket,
      String prefix,
      String outputPrefix,
      List<String> keepColumns,
      Integer chunkRows,
      List<Input> inputs,
      List<Chunk> chunks) {}

  /**
   * An input object.
   *
   * @param key its key
   * @param day its {@code dt=} partition, null outside partitions
   * @param size bytes
   * @param sha256 SHA-256 of its bytes when planned; every chunk checks it while reading
   * @param rows data rows (header not counted)
   */
  public record Input(String key, String day, long size, String sha256, long rows) {}

  /**
   * Rows {@code [fromRow, toRow)} (0-based data rows) of input {@code input}, written to {@code
   * output} with its entry at {@code entry}.
   */
  public record Chunk(
      int index, int input, long fromRow, long toRow, String output, String entry) {}

  /**
   * A chunk's manifest entry, written after its output: what makes the output reusable. A chunk
   * whose entry says the same input bytes, model bytes, rows and columns, and whose output still
   * has the recorded SHA-256, is not scored again.
   *
   * @param model model name
   * @param version the version that scored
   * @param modelSha256 SHA-256 of its model bundle
   * @param input the input's key
   * @param inputSha256 SHA-256 of the input's bytes
   * @param fromRow first row scored
   * @param toRow one past the last row scored
   * @param columns the output's header
   * @param output the output object
   * @param rows rows in the output
   */
  public record Entry(
      String model,
      int version,
      String modelSha256,
      String input,
      String inputSha256,
      long fromRow,
      long toRow,
      List<String> columns,
      ObjectRef output,
      long rows) {}

  /**
   * The manifest of one scoring, written last.
   *
   * @param model model name
   * @param version the version that scored
   * @param bundle its model bundle, with the SHA-256 the registry recorded
   * @param plan the plan the scoring followed
   * @param outputPrefix where the outputs are
   * @param columns the outputs' header
   * @param inputs every input object with its SHA-256 and rows
   * @param chunks every chunk with its output's SHA-256 and rows
   * @param chunkCount chunks
   * @param totalRows rows scored, the sum of the chunks' rows
   * @param codeVersion the code that wrote it
   */
  public record Manifest(
      String model,
      int version,
      ObjectRef bundle,
      ObjectRef plan,
      String outputPrefix,
      List<String> columns,
      List<Input> inputs,
      List<ManifestChunk> chunks,
      int chunkCount,
      long totalRows,
      String codeVersion) {}

  /** A chunk in the manifest. */
  public record ManifestChunk(
      int index, String input, long fromRow, long toRow, long rows, ObjectRef output) {}
}
