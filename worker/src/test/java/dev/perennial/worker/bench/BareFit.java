package dev.perennial.worker.bench;

import dev.perennial.core.data.FeatureSchema;
import dev.perennial.core.data.Table;
import dev.perennial.core.dataset.SnapshotReader;
import dev.perennial.core.model.FeatureEncoder;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.Trainers;
import dev.perennial.core.training.TrainingData;
import dev.perennial.core.training.TrainingService;
import dev.perennial.workflows.dataset.DatasetSnapshot;
import dev.perennial.workflows.training.Hyperparameters;
import java.util.HashSet;
import java.util.Set;

/** The rows a bare fit fits on: exactly those a {@code TrainModel} activity fits on. */
final class BareFit {
  private BareFit() {}

  /**
   * The snapshot's training days read, split with the run's seed and encoded as the trainer asks,
   * into the columns {@link TrainingService#train} hands the trainer.
   */
  static TrainingData data(
      SnapshotReader reader, DatasetSnapshot snapshot, Trainers.Prepared<?> prepared, int holdout) {
    FeatureSchema schema = reader.schema(snapshot);
    Set<String> trainingDays =
        new HashSet<>(SnapshotReader.splitDays(reader.days(snapshot), holdout).get(0));
    Hyperparameters resolved = prepared.hyperparameters();
    Table all = reader.read(snapshot, schema, trainingDays::contains);
    int[][] split =
        TrainingService.split(all.rows(), resolved.validationFraction(), resolved.seed());
    FeatureEncoder encoder =
        FeatureEncoder.fit(all, split[0], prepared.trainer().encoding() == Encoding.ONE_HOT);
    return TrainingData.ofColumns(
        encoder.encodeColumns(all, split[0]),
        all.label(split[0]),
        encoder.names(),
        resolved.seed());
  }
}
