package dev.perennial.starter;

/** The stack commands on Temporal's Java test server and S3Proxy. */
class EmbeddedStackCommandsTest extends StackCommands {
  @Override
  DevStack.ServerChoice servers() {
    return DevStack.ServerChoice.EMBEDDED;
  }
}
