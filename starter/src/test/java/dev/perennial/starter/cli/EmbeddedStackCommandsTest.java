package dev.perennial.starter.cli;

import dev.perennial.starter.stack.DevStack;

/** The stack commands on Temporal's Java test server and S3Proxy. */
class EmbeddedStackCommandsTest extends StackCommands {
  @Override
  DevStack.ServerChoice servers() {
    return DevStack.ServerChoice.EMBEDDED;
  }
}
