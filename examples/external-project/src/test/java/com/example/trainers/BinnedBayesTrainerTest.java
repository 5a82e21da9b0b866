package com.example.trainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perennial.core.model.BinaryMetrics;
import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.TrainingData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Our trainer on the project's own churn data: the first 8 days to fit, the last 2 to score. */
class BinnedBayesTrainerTest {
  private final BinnedBayesTrainer trainer = new BinnedBayesTrainer();

  /** Rows of the days in {@code range} as ordinal columns (plan and contract as their codes). */
  private static TrainingData days(int from, int to) throws IOException {
    List<double[]> x = new ArrayList<>();
    List<Integer> y = new ArrayList<>();
    for (int day = from; day <= to; day++) {
      Path part = Path.of("data/churn/dt=2026-11-%02d/part-00000.csv.gz".formatted(day));
      try (var in =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(part)), StandardCharsets.UTF_8))) {
        in.readLine();
        for (String line; (line = in.readLine()) != null; ) {
          String[] f = line.split(",", -1);
          x.add(
              new double[] {
                Double.parseDouble(f[0]),
                f[1].isEmpty() ? Double.NaN : Double.parseDouble(f[1]),
                Double.parseDouble(f[2]),
                List.of("basic", "plus", "pro").indexOf(f[3]),
                List.of("monthly", "yearly").indexOf(f[4])
              });
          y.add(Integer.parseInt(f[5]));
        }
      }
    }
    String[] names = {"tenure_months", "monthly_charges", "support_calls", "plan", "contract"};
    return new TrainingData(
        x.toArray(double[][]::new), y.stream().mapToInt(Integer::intValue).toArray(), names, 42);
  }

  @Test
  void separatesChurnersOnDaysItDidNotSee() throws IOException {
    var model =
        trainer.fit(
            days(1, 8),
            trainer.options(TrainerSettings.of(new Properties())),
            TrainingProgress.NONE);
    TrainingData heldOut = days(9, 10);
    double auc = BinaryMetrics.auc(heldOut.y(), model.probabilities(heldOut.x()));
    // The generator's churn odds are logistic in these columns; binned Bayes gets most of it.
    assertThat(auc).isBetween(0.75, 1.0);
  }

  @Test
  void optionsRoundTripAndRefuseBadValuesByName() {
    Properties p = new Properties();
    p.setProperty("bins", "12");
    var options = trainer.options(TrainerSettings.of(p));
    assertThat(trainer.options(TrainerSettings.of(options.toProperties()))).isEqualTo(options);
    p.setProperty("bins", "1");
    assertThatThrownBy(() -> trainer.options(TrainerSettings.of(p))).hasMessageContaining("bins");
  }
}
