package dev.perennial.core.training.builtin;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.TrainingData;
import java.util.SplittableRandom;
import smile.base.cart.SplitRule;
import smile.classification.RandomForest;

/** {@code RANDOM_FOREST}: Smile's random forest, one seed per tree drawn from the run's seed. */
public final class RandomForestTrainer implements Trainer<RandomForestTrainer.Options> {

  /**
   * @param trees trees, 1 to 5000 (default 100)
   * @param maxDepth tree depth, 2 to 64 (default 16)
   * @param maxNodes leaves per tree, 2 to 65536 (default 512)
   * @param nodeSize rows per leaf at least, 1 or more (default 5)
   * @param subsample rows drawn per tree, 0.01 to 1; 1 draws a bootstrap sample (default 1)
   * @param mtry columns tried per split; 0 for the square root of the columns (default 0)
   * @param splitRule GINI, ENTROPY or CLASSIFICATION_ERROR (default GINI)
   */
  public record Options(
      int trees,
      int maxDepth,
      int maxNodes,
      int nodeSize,
      double subsample,
      int mtry,
      SplitRule splitRule)
      implements TrainerOptions {
    public Options {
      SmileFits.ensemble(trees, maxDepth, maxNodes, nodeSize)
          .range("subsample", subsample, 0.01, 1)
          .range("mtry", mtry, 0, 100_000)
          .require(splitRule != null, "splitRule", "must be given")
          .refuseIfAny("RANDOM_FOREST options");
    }
  }

  @Override
  public String name() {
    return "RANDOM_FOREST";
  }

  @Override
  public Options options(TrainerSettings s) {
    return new Options(
        s.integer("trees", 100),
        s.integer("maxDepth", 16),
        s.integer("maxNodes", 512),
        s.integer("nodeSize", 5),
        s.decimal("subsample", 1.0),
        s.integer("mtry", 0),
        s.choice("splitRule", SplitRule.GINI));
  }

  @Override
  public Encoding encoding() {
    return Encoding.ORDINAL;
  }

  @Override
  public ScoringModel fit(TrainingData data, Options o, TrainingProgress progress) {
    int features = data.names().length;
    int mtry =
        o.mtry() == 0
            ? Math.max(1, (int) Math.floor(Math.sqrt(features)))
            : Math.min(o.mtry(), features);
    long[] seeds = new SplittableRandom(data.seed()).longs(o.trees()).toArray();
    try (var followed = SmileFits.follow(progress, o.trees(), RandomForest.TrainingStatus::tree)) {
      return SmileModel.ofDataFrame(
          RandomForest.fit(
              SmileFits.formula(),
              SmileFits.frame(data),
              new RandomForest.Options(
                  o.trees(),
                  mtry,
                  o.splitRule(),
                  o.maxDepth(),
                  o.maxNodes(),
                  o.nodeSize(),
                  o.subsample(),
                  null,
                  seeds,
                  followed.controller())),
          data.names());
    }
  }
}
