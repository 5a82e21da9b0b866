package dev.perennial.activities.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perennial.core.Json;
import dev.perennial.core.dataset.DatasetSnapshots;
import dev.perennial.dev.data.CreditDefaultGenerator;
import dev.perennial.dev.data.GeneratorSpec;
import dev.perennial.dev.s3.EmbeddedS3;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.dataset.DatasetSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training that runs a worker out of heap fails once, for good, saying what did not fit and what
 * would: in a JVM of its own with a small heap, through the training activity options' retry policy
 * (capped at three attempts, so a retried failure shows as three fits, not as a hang).
 */
class TrainingOutOfMemoryTest {
  @RegisterExtension static final EmbeddedS3 S3 = new EmbeddedS3();

  @TempDir Path dir;

  @Test
  void runningOutOfHeapFailsOnceNamingTheSizeAndTheWaysOut() throws Exception {
    String data = S3.freshBucket();
    String artifacts = S3.freshBucket();
    new CreditDefaultGenerator()
        .generate(S3.store(), data, "m", GeneratorSpec.clean(3, LocalDate.of(2026, 1, 1), 3, 400));
    DatasetSnapshot snapshot =
        new DatasetSnapshots(S3.store(), artifacts)
            .snapshot(
                new DatasetSpec(data, null, null, null, null, null).withDefaults("m"),
                (d, t) -> {});

    Map<String, String> out = run(snapshot, artifacts);
    System.out.println("out-of-memory run: " + out);

    assertThat(out).containsEntry("fits", "1");
    assertThat(out).containsEntry("type", FailureTypes.RESOURCE_EXHAUSTED);
    assertThat(out).containsEntry("nonRetryable", "true");
    assertThat(out).containsEntry("retryState", "RETRY_STATE_NON_RETRYABLE_FAILURE");
    assertThat(out.get("message"))
        .contains("TrainModel ran out of memory (Java heap space)")
        // 2 training days x 400 rows, 20 features and the label
        .contains("in stage 'fit' of 800 rows x 21 columns (20 features and the label, 2 training")
        .containsPattern("maximum heap is \\d+ MB")
        .contains("hyperparameters.maxTrainingRows", "--max-training-rows 1000")
        .contains("bigger heap", "-Xmx")
        .hasSizeLessThan(2000);
  }

  /** Runs {@link OutOfMemoryRun} in a JVM with a 128 MB heap; its {@code key=value} lines. */
  private Map<String, String> run(DatasetSnapshot snapshot, String artifacts)
      throws IOException, InterruptedException {
    Path log = dir.resolve("run.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                OutOfMemoryRun.class.getName(),
                S3.settings().endpoint(),
                S3.settings().accessKey(),
                S3.settings().secretKey(),
                artifacts,
                new String(Json.write(snapshot), StandardCharsets.UTF_8))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    // A bound for a broken run, not a timing: a healthy one ends in seconds.
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
    }
    String text = Files.readString(log);
    assertThat(process.exitValue()).as(text).isZero();
    return text.lines()
        .filter(l -> l.matches("(fits|type|nonRetryable|retryState|message|result)=.*"))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
  }
}
