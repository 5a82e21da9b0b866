package dev.perennial.starter.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code starter/bin/cds-java}, the launcher's class-data archive per command: made from a run that
 * did its work, mapped by the next, never stale, and never in the way of the command when it cannot
 * be made or used. The output is the program's alone in every case.
 */
class CdsJavaTest {
  private static final Path SCRIPT = Path.of("bin/cds-java").toAbsolutePath();
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir Path dir;
  Path jar;
  Path archives;

  record Run(int code, String out, String err) {}

  @BeforeEach
  void probeJar() throws IOException {
    jar = dir.resolve("probe.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, CdsProbe.class.getName());
    String entry = CdsProbe.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        var in = CdsProbe.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    archives = dir.resolve("cds");
  }

  @Test
  void aRunThatDidItsWorkLeavesAnArchiveThatTheNextRunMaps() throws Exception {
    Run first = run(archives, Map.of(), List.of(), 0);
    assertThat(first).isEqualTo(new Run(0, "probe ok\n", ""));
    assertThat(files(archives))
        .singleElement()
        .asString()
        .matches("probe\\.[0-9.]+\\.[0-9-]+\\.jsa");

    Path classLog = dir.resolve("classes.log");
    Run second = run(archives, Map.of(), List.of("-Xlog:class+load:file=" + classLog), 0);
    assertThat(second).isEqualTo(new Run(0, "probe ok\n", ""));
    assertThat(Files.readAllLines(classLog))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(CdsProbe.class.getName() + " source: shared objects file (top)"));
  }

  @Test
  void anOperationThatFailedStillCountsButAUsageErrorLeavesNoArchive() throws Exception {
    assertThat(run(archives, Map.of(), List.of(), 2)).isEqualTo(new Run(2, "probe ok\n", ""));
    assertThat(files(archives)).isEmpty();

    assertThat(run(archives, Map.of(), List.of(), 1)).isEqualTo(new Run(1, "probe ok\n", ""));
    assertThat(files(archives)).hasSize(1);
  }

  @Test
  void aRebuiltJarGetsANewArchiveAndTheStaleOneIsRemoved() throws Exception {
    run(archives, Map.of(), List.of(), 0);
    String stale = files(archives).get(0);
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));

    assertThat(run(archives, Map.of(), List.of(), 0)).isEqualTo(new Run(0, "probe ok\n", ""));
    assertThat(files(archives)).singleElement().isNotEqualTo(stale);
  }

  @Test
  void anArchiveTheJvmRefusesIsIgnoredQuietly() throws Exception {
    run(archives, Map.of(), List.of(), 0);
    Path archive = archives.resolve(files(archives).get(0));
    Files.writeString(archive, "not an archive");

    assertThat(run(archives, Map.of(), List.of(), 0)).isEqualTo(new Run(0, "probe ok\n", ""));
  }

  @Test
  void aDirectoryThatCannotBeWrittenRunsTheCommandWithoutAnArchive() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "");
    Path impossible = file.resolve("cds");

    assertThat(run(impossible, Map.of(), List.of(), 0)).isEqualTo(new Run(0, "probe ok\n", ""));
    assertThat(run(impossible, Map.of(), List.of(), 1)).isEqualTo(new Run(1, "probe ok\n", ""));
  }

  @Test
  void turnedOffItRunsPlain() throws Exception {
    Run r = run(archives, Map.of("PERENNIAL_CDS", "off"), List.of(), 0);
    assertThat(r).isEqualTo(new Run(0, "probe ok\n", ""));
    assertThat(files(archives)).isEmpty();
  }

  private Run run(Path archiveDir, Map<String, String> env, List<String> jvmOptions, int exit)
      throws Exception {
    List<String> command =
        new ArrayList<>(List.of(SCRIPT.toString(), archiveDir.toString(), "probe", jar.toString()));
    command.add(JAVA);
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), String.valueOf(exit)));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("PERENNIAL_CDS");
    builder.environment().putAll(env);
    builder.redirectOutput(dir.resolve("out.txt").toFile());
    builder.redirectError(dir.resolve("err.txt").toFile());
    int code = builder.start().waitFor();
    return new Run(
        code,
        Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  /** The file names in {@code archiveDir}, temporary ones included. */
  private static List<String> files(Path archiveDir) throws IOException {
    if (!Files.isDirectory(archiveDir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(archiveDir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
