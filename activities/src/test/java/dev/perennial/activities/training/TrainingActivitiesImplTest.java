package dev.perennial.activities.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingService;
import dev.perennial.workflows.FailureTypes;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.training.Hyperparameters;
import dev.perennial.workflows.training.TrainingActivities;
import dev.perennial.workflows.training.TrainingJob;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A run naming a trainer the worker lacks, or options it refuses, fails for good at once. */
class TrainingActivitiesImplTest {
  private TestActivityEnvironment env;
  private TrainingActivities activities;

  @BeforeEach
  void start() {
    env = TestActivityEnvironment.newInstance();
    // No store and no reader: a refused request must not get as far as the data.
    env.registerActivitiesImplementations(
        new TrainingActivitiesImpl(
            new TrainingService(null, "artifacts", null, Trainers.onClassPath())));
    activities =
        env.newActivityStub(
            TrainingActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
                .build());
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private static TrainingJob job(Hyperparameters h) {
    return new TrainingJob(
        "m", new DatasetSnapshot("v1", null, null, "2026-01-01", "2026-01-05", 5, 5, 5), 1, h, "r");
  }

  private static Consumer<ApplicationFailure> invalidRequest(String... says) {
    return failure -> {
      assertThat(failure.getType()).isEqualTo(FailureTypes.INVALID_REQUEST);
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains(says);
    };
  }

  @Test
  void anUnknownTrainerNamesTheTrainersThisWorkerHas() {
    assertThatThrownBy(() -> activities.train(job(Hyperparameters.of("acme-stumps"))))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            invalidRequest("no trainer named 'acme-stumps'", "GRADIENT_BOOSTING", "ADABOOST"));
  }

  @Test
  void optionsTheTrainerRefusesAreBadInput() {
    assertThatThrownBy(
            () -> activities.train(job(Hyperparameters.of("DECISION_TREE").with("splitRule", "?"))))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            invalidRequest("trainer DECISION_TREE", "hyperparameters.params.splitRule"));
  }
}
