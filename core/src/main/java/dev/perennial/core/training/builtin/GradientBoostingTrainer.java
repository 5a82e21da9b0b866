package dev.perennial.core.training.builtin;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.TrainingData;
import smile.classification.GradientTreeBoost;

/** {@code GRADIENT_BOOSTING}: Smile's gradient-boosted trees, the default trainer. */
public final class GradientBoostingTrainer implements Trainer<GradientBoostingTrainer.Options> {

  /**
   * @param trees boosting rounds, 1 to 5000 (default 100)
   * @param maxDepth tree depth, 2 to 64 (default 6)
   * @param maxNodes leaves per tree, 2 to 65536 (default 32)
   * @param nodeSize rows per leaf at least, 1 or more (default 5)
   * @param shrinkage learning rate, above 0 up to 1 (default 0.1)
   * @param subsample rows drawn per tree, 0.01 to 1 (default 0.7)
   */
  public record Options(
      int trees, int maxDepth, int maxNodes, int nodeSize, double shrinkage, double subsample)
      implements TrainerOptions {
    public Options {
      SmileFits.ensemble(trees, maxDepth, maxNodes, nodeSize)
          .range("shrinkage", shrinkage, 1e-6, 1)
          .range("subsample", subsample, 0.01, 1)
          .refuseIfAny("GRADIENT_BOOSTING options");
    }
  }

  @Override
  public String name() {
    return "GRADIENT_BOOSTING";
  }

  @Override
  public Options options(TrainerSettings s) {
    return new Options(
        s.integer("trees", 100),
        s.integer("maxDepth", 6),
        s.integer("maxNodes", 32),
        s.integer("nodeSize", 5),
        s.decimal("shrinkage", 0.1),
        s.decimal("subsample", 0.7));
  }

  @Override
  public Encoding encoding() {
    return Encoding.ORDINAL;
  }

  @Override
  public ScoringModel fit(TrainingData data, Options o, TrainingProgress progress) {
    try (var followed =
        SmileFits.follow(progress, o.trees(), GradientTreeBoost.TrainingStatus::tree)) {
      return SmileModel.ofDataFrame(
          GradientTreeBoost.fit(
              SmileFits.formula(),
              SmileFits.frame(data),
              new GradientTreeBoost.Options(
                  o.trees(),
                  o.maxDepth(),
                  o.maxNodes(),
                  o.nodeSize(),
                  o.shrinkage(),
                  o.subsample(),
                  null,
                  followed.controller())),
          data.names());
    }
  }
}
