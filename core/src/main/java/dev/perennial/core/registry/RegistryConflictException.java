package dev.perennial.core.registry;

/**
 * The registry refused a well-formed request because of what it holds: an unknown version, or an
 * alias on a rejected version. Retrying cannot help.
 */
public final class RegistryConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryConflictException(String message) {
    super(message);
  }
}
