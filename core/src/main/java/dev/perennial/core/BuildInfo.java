package dev.perennial.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Which code this is: project version and git commit, recorded with every model version. */
public final class BuildInfo {
  private static final String CODE_VERSION = load();

  private BuildInfo() {}

  /** For example {@code 0.1.0-SNAPSHOT+3f2a1bc} ({@code .dirty} when built from changed files). */
  public static String codeVersion() {
    return CODE_VERSION;
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/perennial-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = known(p.getProperty("version"), "unknown");
    String commit = known(p.getProperty("commit"), null);
    boolean dirty = "true".equals(p.getProperty("dirty"));
    return commit == null ? version : version + "+" + commit + (dirty ? ".dirty" : "");
  }

  private static String known(String v, String fallback) {
    return v == null || v.isBlank() || v.startsWith("${") ? fallback : v;
  }
}
