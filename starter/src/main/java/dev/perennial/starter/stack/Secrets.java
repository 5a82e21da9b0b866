package dev.perennial.starter.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Credentials of the embedded S3 server: taken from PERENNIAL_S3_ACCESS_KEY / _SECRET_KEY when set,
 * otherwise generated once per data dir and kept in {@code s3-credentials.properties} (mode 0600).
 * Nothing is hard-coded.
 */
public final class Secrets {
  public static final String FILE = "s3-credentials.properties";

  private Secrets() {}

  /** {access key, secret key} for the embedded S3 in {@code dataDir}. */
  public static String[] embeddedS3Credentials(Path dataDir) {
    String access = System.getenv("PERENNIAL_S3_ACCESS_KEY");
    String secret = System.getenv("PERENNIAL_S3_SECRET_KEY");
    if (access != null && !access.isBlank() && secret != null && !secret.isBlank()) {
      return new String[] {access, secret};
    }
    Path file = dataDir.resolve(FILE);
    Properties p = new Properties();
    try {
      if (Files.isRegularFile(file)) {
        try (var in = Files.newInputStream(file)) {
          p.load(in);
        }
      } else {
        SecureRandom random = new SecureRandom();
        p.setProperty("access-key", "perennial-" + hex(random, 6));
        p.setProperty("secret-key", hex(random, 24));
        Files.createDirectories(dataDir);
        try (var out = Files.newOutputStream(file)) {
          p.store(out, "Generated credentials of the embedded S3 server (dev only)");
        }
        restrictToOwner(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
    return new String[] {p.getProperty("access-key"), p.getProperty("secret-key")};
  }

  /** A fresh random API key: 64 hex digits, 256 bits. */
  public static String newApiKey() {
    return hex(new SecureRandom(), 32);
  }

  public static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the file stays with its default permissions.
    }
  }

  private static String hex(SecureRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
