package dev.perennial.workflows;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.testing.TestWorkflowEnvironment;

/** Time-skipping test environments set up as the worker sets up a real server. */
public final class TestEnvironments {
  private TestEnvironments() {}

  /** A new environment with Perennial's search attributes registered. */
  public static TestWorkflowEnvironment withSearchAttributes() {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    for (var key : PerennialSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    return env;
  }
}
