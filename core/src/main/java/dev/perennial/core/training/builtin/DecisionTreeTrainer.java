package dev.perennial.core.training.builtin;

import dev.perennial.core.model.TrainingProgress;
import dev.perennial.core.training.Encoding;
import dev.perennial.core.training.ScoringModel;
import dev.perennial.core.training.Trainer;
import dev.perennial.core.training.TrainerOptions;
import dev.perennial.core.training.TrainerSettings;
import dev.perennial.core.training.TrainingData;
import dev.perennial.workflows.RequestProblems;
import smile.base.cart.SplitRule;
import smile.classification.DecisionTree;

/** {@code DECISION_TREE}: one CART classification tree, readable and quick to train. */
public final class DecisionTreeTrainer implements Trainer<DecisionTreeTrainer.Options> {

  /**
   * @param splitRule GINI, ENTROPY or CLASSIFICATION_ERROR (default GINI)
   * @param maxDepth tree depth, 2 to 64 (default 10)
   * @param maxNodes leaves, 2 to 65536 (default 64)
   * @param nodeSize rows per leaf at least, 1 or more (default 5)
   */
  public record Options(SplitRule splitRule, int maxDepth, int maxNodes, int nodeSize)
      implements TrainerOptions {
    public Options {
      SmileFits.tree(
              new RequestProblems().require(splitRule != null, "splitRule", "must be given"),
              maxDepth,
              maxNodes,
              nodeSize)
          .refuseIfAny("DECISION_TREE options");
    }
  }

  @Override
  public String name() {
    return "DECISION_TREE";
  }

  @Override
  public Options options(TrainerSettings s) {
    return new Options(
        s.choice("splitRule", SplitRule.GINI),
        s.integer("maxDepth", 10),
        s.integer("maxNodes", 64),
        s.integer("nodeSize", 5));
  }

  @Override
  public Encoding encoding() {
    return Encoding.ORDINAL;
  }

  @Override
  public ScoringModel fit(TrainingData data, Options o, TrainingProgress progress) {
    return SmileModel.ofDataFrame(
        DecisionTree.fit(
            SmileFits.formula(),
            SmileFits.frame(data),
            new DecisionTree.Options(o.splitRule(), o.maxDepth(), o.maxNodes(), o.nodeSize())),
        data.names());
  }
}
