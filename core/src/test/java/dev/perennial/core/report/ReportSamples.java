package dev.perennial.core.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a rendered page under target/report-samples/ so a person can open it in a browser. */
final class ReportSamples {
  static final Path DIR = Path.of("target", "report-samples");

  private ReportSamples() {}

  static Path write(String name, HtmlPage page) throws IOException {
    Files.createDirectories(DIR);
    return Files.write(DIR.resolve(name), page.toBytes());
  }
}
