package dev.perennial.core.training.builtin;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.TrainingData;
import smile.classification.AdaBoost;

/** {@code ADABOOST}: Smile's AdaBoost (SAMME) over small classification trees. */
public final class AdaBoostTrainer implements Trainer<AdaBoostTrainer.Options> {

  /**
   * @param trees boosting rounds, 1 to 5000 (default 100)
   * @param maxDepth tree depth, 2 to 64 (default 20)
   * @param maxNodes leaves per tree, 2 to 65536 (default 6)
   * @param nodeSize rows per leaf at least, 1 or more (default 1)
   */
  public record Options(int trees, int maxDepth, int maxNodes, int nodeSize)
      implements TrainerOptions {
    public Options {
      SmileFits.ensemble(trees, maxDepth, maxNodes, nodeSize).refuseIfAny("ADABOOST options");
    }
  }

  @Override
  public String name() {
    return "ADABOOST";
  }

  @Override
  public Options options(TrainerSettings s) {
    return new Options(
        s.integer("trees", 100),
        s.integer("maxDepth", 20),
        s.integer("maxNodes", 6),
        s.integer("nodeSize", 1));
  }

  @Override
  public Encoding encoding() {
    return Encoding.ORDINAL;
  }

  @Override
  public ScoringModel fit(TrainingData data, Options o, TrainingProgress progress) {
    try (var followed = SmileFits.follow(progress, o.trees(), AdaBoost.TrainingStatus::tree)) {
      return SmileModel.ofDataFrame(
          AdaBoost.fit(
              SmileFits.formula(),
              SmileFits.frame(data),
              new AdaBoost.Options(
                  o.trees(),
                  o.maxDepth(),
                  o.maxNodes(),
                  o.nodeSize(),
                  null,
                  followed.controller())),
          data.names());
    }
  }
}
