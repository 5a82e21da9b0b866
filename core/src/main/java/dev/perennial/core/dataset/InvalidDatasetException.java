package dev.perennial.core.dataset;

/**
 * The dataset cannot be used as asked: nothing matches the spec, the schema is missing or
 * malformed, or a cell cannot be read as its column's type. Retrying cannot help.
 */
public final class InvalidDatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidDatasetException(String message) {
    super(message);
  }
}
