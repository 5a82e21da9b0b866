package dev.perennial.starter.cli;

import dev.perennial.workflows.gate.GatePolicy;

/** The {@code --gate} of {@code train}: a {@link GatePolicy}, with its rules over slices. */
final class GateInput extends PolicyInput<GatePolicy> {
  GateInput() {
    super(GatePolicy.class, "gate policy");
  }
}
