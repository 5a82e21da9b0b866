package dev.perennial.starter.cli;

import dev.perennial.workflows.canary.CanaryPolicy;

/** The {@code --canary} of {@code train}: the {@link CanaryPolicy} of its canary or shadow. */
final class CanaryInput extends PolicyInput<CanaryPolicy> {
  CanaryInput() {
    super(CanaryPolicy.class, "canary policy");
  }
}
