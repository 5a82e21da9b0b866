package dev.perennial.workflows.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PerennialPipelineTest {

  @Test
  void aPipelinesConventionalIdIsItsTypeInKebabCaseThenTheModel() {
    assertThat(PerennialPipeline.workflowId(ContinuousTrainingWorkflow.TYPE, "credit-default"))
        .isEqualTo(ContinuousTrainingWorkflow.workflowId("credit-default"));
    assertThat(PerennialPipeline.workflowId("ApprovedForest", "loan-churn-ext"))
        .isEqualTo("approved-forest-loan-churn-ext");
    assertThat(PerennialPipeline.kebabCase("XGBoostNightly2")).isEqualTo("xg-boost-nightly2");
    assertThat(PerennialPipeline.kebabCase("my_pipeline.v2")).isEqualTo("my-pipeline-v2");
  }
}
