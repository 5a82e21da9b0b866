package dev.perennial.starter.cli;

import dev.perennial.starter.stack.Endpoints;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a connection setting comes from when no option gives it: the environment variable (when not
 * blank), else the {@code stack.json} a running {@code perennial up} wrote into the data dir, else
 * the local default. As the default-value provider of the command line it fills the options of
 * {@link CliConnection}; the settings without an option are resolved with {@link #resolve}.
 */
final class ConnectionDefaults implements IDefaultValueProvider {

  /** The connection settings, with their option (null when none), variable and local default. */
  enum Setting {
    TEMPORAL(
        "--temporal", "PERENNIAL_TEMPORAL_ADDRESS", Endpoints::temporalTarget, "127.0.0.1:7233"),
    NAMESPACE("--namespace", "PERENNIAL_TEMPORAL_NAMESPACE", Endpoints::namespace, "default"),
    S3_ENDPOINT(
        "--s3-endpoint", "PERENNIAL_S3_ENDPOINT", Endpoints::s3Endpoint, "http://127.0.0.1:9000"),
    S3_REGION(null, "PERENNIAL_S3_REGION", Endpoints::s3Region, "us-east-1"),
    S3_ACCESS_KEY(null, "PERENNIAL_S3_ACCESS_KEY", Endpoints::s3AccessKey, null),
    S3_SECRET_KEY(null, "PERENNIAL_S3_SECRET_KEY", Endpoints::s3SecretKey, null),
    ARTIFACT_BUCKET(
        null,
        "PERENNIAL_ARTIFACT_BUCKET",
        Endpoints::artifactBucket,
        Endpoints.DEFAULT_ARTIFACT_BUCKET),
    SERVING_URL(null, "PERENNIAL_SERVING_URL", Endpoints::servingAddress, "http://127.0.0.1:8080"),
    SERVING_MANAGEMENT_URL(
        null,
        "PERENNIAL_SERVING_MANAGEMENT_URL",
        Endpoints::servingManagementAddress,
        "http://127.0.0.1:8082");

    final String option;
    final String variable;
    final Function<Endpoints, String> fromStack;
    final String fallback;

    Setting(
        String option, String variable, Function<Endpoints, String> fromStack, String fallback) {
      this.option = option;
      this.variable = variable;
      this.fromStack = fromStack;
      this.fallback = fallback;
    }

    static Setting ofOption(String name) {
      for (Setting s : values()) {
        if (name.equals(s.option)) {
          return s;
        }
      }
      return null;
    }
  }

  private final UnaryOperator<String> environment;

  /** Reading the process environment. */
  ConnectionDefaults() {
    this(System::getenv);
  }

  /** Reading {@code environment} (variable name to value, null when unset). */
  ConnectionDefaults(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  /**
   * The default of a {@link CliConnection} option, null for every other option (which keeps its own
   * default). An unreadable {@code stack.json} counts as absent here: the command reports it when
   * it connects ({@link CliConnection#endpoints()} reads the file again), not as a usage error.
   */
  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)
        || !(option.userObject() instanceof Field field)
        || field.getDeclaringClass() != CliConnection.class) {
      return null;
    }
    Setting setting = Setting.ofOption(option.longestName());
    if (setting == null) {
      return null;
    }
    Endpoints stack;
    try {
      stack = Endpoints.readRunningStack(dataDir(arg.command()));
    } catch (UncheckedIOException e) {
      stack = null;
    }
    return resolve(setting, stack);
  }

  /**
   * {@code setting} from the environment, else {@code stack} (null when none runs), else the
   * default.
   */
  String resolve(Setting setting, Endpoints stack) {
    String v = environment.apply(setting.variable);
    if (v != null && !v.isBlank()) {
      return v;
    }
    String fromStack = stack == null ? null : setting.fromStack.apply(stack);
    return fromStack != null ? fromStack : setting.fallback;
  }

  /**
   * The command's {@code --data-dir}: picocli applies defaults after parsing, so a given value is
   * already set, wherever it stood on the command line; otherwise its own default.
   */
  private static Path dataDir(CommandSpec command) {
    OptionSpec option = command.findOption("--data-dir");
    Object value = option.getValue();
    return value != null ? (Path) value : Path.of(option.defaultValueString(true));
  }
}
