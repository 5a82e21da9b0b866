package dev.perennial.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.perennial.starter.cli.ConnectionDefaults.Setting;
import dev.perennial.starter.stack.Endpoints;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Each connection setting: option, else non-blank environment, else stack.json, else default. */
class ConnectionDefaultsTest {
  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();

  @Command(name = "probe")
  static final class Probe {
    @Mixin CliConnection connection;

    @Option(names = "--other", defaultValue = "its own")
    String other;
  }

  private static final Endpoints STACK =
      new Endpoints(
          "127.0.0.1:17233",
          "stack-ns",
          "http://127.0.0.1:18233",
          "http://127.0.0.1:19000",
          "eu-west-3",
          "stack-access",
          "stack-secret",
          "stack-bucket",
          "http://127.0.0.1:18081",
          "http://127.0.0.1:18080",
          "http://127.0.0.1:18082",
          "stack-serving-key");

  private Probe parse(String... args) {
    Probe probe = new Probe();
    CommandLine cli = new CommandLine(probe);
    cli.setDefaultValueProvider(new ConnectionDefaults(env::get));
    cli.parseArgs(args);
    return probe;
  }

  @Test
  void anOptionWinsOverEnvironmentAndStack() {
    STACK.write(dir);
    env.put("PERENNIAL_TEMPORAL_ADDRESS", "env:7233");
    CliConnection c = parse("--temporal", "option:7233", "--data-dir", dir.toString()).connection;
    assertThat(c.temporal).isEqualTo("option:7233");
  }

  @Test
  void theEnvironmentWinsOverTheRunningStack() {
    STACK.write(dir);
    env.put("PERENNIAL_TEMPORAL_ADDRESS", "env:7233");
    env.put("PERENNIAL_TEMPORAL_NAMESPACE", "env-ns");
    env.put("PERENNIAL_S3_ENDPOINT", "http://env:9000");
    CliConnection c = parse("--data-dir", dir.toString()).connection;
    assertThat(c.temporal).isEqualTo("env:7233");
    assertThat(c.namespace).isEqualTo("env-ns");
    assertThat(c.s3Endpoint).isEqualTo("http://env:9000");
  }

  @Test
  void aBlankVariableIsIgnoredAndTheRunningStackAnswers() {
    STACK.write(dir);
    env.put("PERENNIAL_TEMPORAL_ADDRESS", "  ");
    env.put("PERENNIAL_TEMPORAL_NAMESPACE", "");
    CliConnection c = parse("--data-dir", dir.toString()).connection;
    assertThat(c.temporal).isEqualTo("127.0.0.1:17233");
    assertThat(c.namespace).isEqualTo("stack-ns");
    assertThat(c.s3Endpoint).isEqualTo("http://127.0.0.1:19000");
  }

  @Test
  void theDataDirIsFoundWhereverItStandsOnTheCommandLine() {
    STACK.write(dir);
    CliConnection c =
        parse("--namespace", "option-ns", "--other", "x", "--data-dir", dir.toString()).connection;
    assertThat(c.namespace).isEqualTo("option-ns");
    assertThat(c.temporal).isEqualTo("127.0.0.1:17233");
  }

  @Test
  void withoutARunningStackTheLocalDefaults() {
    CliConnection c = parse("--data-dir", dir.toString()).connection;
    assertThat(c.temporal).isEqualTo("127.0.0.1:7233");
    assertThat(c.namespace).isEqualTo("default");
    assertThat(c.s3Endpoint).isEqualTo("http://127.0.0.1:9000");
  }

  @Test
  void otherOptionsKeepTheirOwnDefaults() {
    STACK.write(dir);
    assertThat(parse("--data-dir", dir.toString()).other).isEqualTo("its own");
  }

  @Test
  void anUnreadableStackFileIsNoUsageErrorButFailsTheConnection() throws Exception {
    Files.writeString(dir.resolve(Endpoints.STACK_FILE), "{not json");
    CliConnection c = parse("--data-dir", dir.toString()).connection;
    assertThat(c.temporal).isEqualTo("127.0.0.1:7233");
    assertThatThrownBy(c::endpoints)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot read " + dir.resolve(Endpoints.STACK_FILE));
  }

  @Test
  void settingsWithoutAnOptionResolveTheSameWay() {
    ConnectionDefaults defaults = new ConnectionDefaults(env::get);
    assertThat(defaults.resolve(Setting.S3_REGION, null)).isEqualTo("us-east-1");
    assertThat(defaults.resolve(Setting.S3_ACCESS_KEY, null)).isNull();
    assertThat(defaults.resolve(Setting.ARTIFACT_BUCKET, null))
        .isEqualTo(Endpoints.DEFAULT_ARTIFACT_BUCKET);
    assertThat(defaults.resolve(Setting.SERVING_URL, null)).isEqualTo("http://127.0.0.1:8080");
    assertThat(defaults.resolve(Setting.S3_REGION, STACK)).isEqualTo("eu-west-3");
    assertThat(defaults.resolve(Setting.S3_SECRET_KEY, STACK)).isEqualTo("stack-secret");
    assertThat(defaults.resolve(Setting.SERVING_URL, STACK)).isEqualTo("http://127.0.0.1:18080");
    assertThat(defaults.resolve(Setting.SERVING_MANAGEMENT_URL, null))
        .isEqualTo("http://127.0.0.1:8082");
    assertThat(defaults.resolve(Setting.SERVING_MANAGEMENT_URL, STACK))
        .isEqualTo("http://127.0.0.1:18082");
    env.put("PERENNIAL_S3_REGION", "env-region");
    env.put("PERENNIAL_ARTIFACT_BUCKET", " ");
    assertThat(defaults.resolve(Setting.S3_REGION, STACK)).isEqualTo("env-region");
    assertThat(defaults.resolve(Setting.ARTIFACT_BUCKET, STACK)).isEqualTo("stack-bucket");
  }

  @Test
  void endpointsComeFromTheRunningStack() {
    assumeTrue(
        Stream.of(Setting.values()).allMatch(s -> System.getenv(s.variable) == null),
        "no PERENNIAL_* connection variable set");
    STACK.write(dir);
    CommandLine cli = PerennialCommand.commandLine();
    Probe probe = new Probe();
    CommandLine probeLine = new CommandLine(probe);
    probeLine.setDefaultValueProvider(cli.getDefaultValueProvider());
    probeLine.parseArgs("--data-dir", dir.toString());
    assertThat(probe.connection.endpoints()).isEqualTo(STACK);
  }

  @Test
  void theCommandLineInstallsItOnEveryCommand() {
    assertThat(PerennialCommand.commandLine().getDefaultValueProvider())
        .isInstanceOf(ConnectionDefaults.class);
    assertThat(PerennialCommand.commandLine().getSubcommands().values())
        .allSatisfy(
            sub ->
                assertThat(sub.getDefaultValueProvider()).isInstanceOf(ConnectionDefaults.class));
  }
}
