package dev.perennial.starter.stack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds installed server binaries: an explicit environment variable first, else the PATH. */
public final class InstalledBinaries {
  private InstalledBinaries() {}

  public static Optional<Path> find(String env, String name) {
    String configured = System.getenv(env);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
      throw new IllegalStateException(
          env + "=" + configured + " is not an executable file; unset it or fix the path");
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
